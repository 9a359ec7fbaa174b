/**
 * The built CLI as a child process: output captured, waits bounded, and every process a
 * test file spawned killed by `killAllCli()` (call it in afterEach/afterAll).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { CLI, ROOT } from './build';
import { testNamespace, testTemporalState } from './temporal';

export interface CliExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface CliProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  readonly exited: Promise<CliExit>;
  /** Resolves when `pattern` appears in stdout or stderr; rejects on exit or after timeoutMs. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<void>;
  /** Sends the signal and waits (bounded) for the exit. */
  stop(signal: NodeJS.Signals, timeoutMs?: number): Promise<CliExit>;
}

const running = new Set<CliProcess>();

/**
 * The parent's environment without anything that configures the project, so a test says
 * exactly which Temporal, cloro and state dir its child uses.
 */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(TEMPORAL_|CLORO_|BRIDGE_|OTEL_|DATABASE_URL$)/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

/** A CLI process's environment against the test Temporal and a simulator, with its own state dir. */
export function testCliEnv(cloro: { url: string; apiKey: string }, home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return cleanEnv({
    TEMPORAL_ADDRESS: testTemporalState().address,
    TEMPORAL_NAMESPACE: testNamespace(),
    CLORO_API_KEY: cloro.apiKey,
    CLORO_BASE_URL: cloro.url,
    CLORO_TEMPORAL_HOME: home,
    ...extra,
  });
}

export function spawnCli(args: string[], env: NodeJS.ProcessEnv): CliProcess {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((l) => l());
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    notify();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
    notify();
  });
  let done = false;
  const exited = new Promise<CliExit>((resolve) => {
    child.on('error', () => resolve({ code: null, signal: null }));
    child.on('close', (code, signal) => resolve({ code, signal }));
  }).then((exit) => {
    done = true;
    running.delete(proc);
    notify();
    return exit;
  });

  const proc: CliProcess = {
    child,
    pid: child.pid ?? -1,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForOutput(pattern, timeoutMs) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(out) || pattern.test(err)) finish();
          else if (done) finish(new Error(`exited before printing ${pattern}; stdout:\n${out}\nstderr:\n${err}`));
        };
        const timer = setTimeout(
          () => finish(new Error(`no ${pattern} within ${timeoutMs} ms; stdout:\n${out}\nstderr:\n${err}`)),
          timeoutMs,
        );
        const finish = (error?: Error) => {
          clearTimeout(timer);
          listeners.delete(check);
          if (error) reject(error);
          else resolve();
        };
        listeners.add(check);
        check();
      });
    },
    async stop(signal, timeoutMs = 30_000) {
      if (!done) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
  running.add(proc);
  return proc;
}

/** Runs a command to completion (SIGKILL after timeoutMs) and returns its output. */
export async function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 60_000,
): Promise<CliExit & { stdout: string; stderr: string }> {
  const proc = spawnCli(args, env);
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), timeoutMs);
  try {
    const exit = await proc.exited;
    return { ...exit, stdout: proc.stdout(), stderr: proc.stderr() };
  } finally {
    clearTimeout(timer);
  }
}

/** Kills whatever a test left running (a failed assertion must not leave workers behind). */
export async function killAllCli(): Promise<void> {
  await Promise.all([...running].map((proc) => proc.stop('SIGKILL', 5_000)));
}
