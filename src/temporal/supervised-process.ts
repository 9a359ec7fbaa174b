/**
 * A child process that cannot outlive us. On POSIX the binary runs under a tiny `sh`
 * wrapper that holds the read end of a pipe whose write end only we own: when our process
 * goes away for any reason (exit, crash, SIGKILL) the pipe reaches EOF and the wrapper
 * sends the child SIGTERM. The wrapper leads its own process group so the SIGKILL
 * fallback reaches everything at once. On Windows the binary is spawned directly and
 * killed from an `exit` hook.
 */
import { type ChildProcess, spawn } from 'node:child_process';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SupervisedProcess {
  /** The wrapper's pid, which is also the process group id on POSIX. */
  readonly pid: number;
  /** Resolves once the binary (and its wrapper) have exited. */
  readonly exited: Promise<ExitInfo>;
  /** Whether `exited` has resolved. */
  hasExited(): boolean;
  /** The last few kilobytes of stdout+stderr, for error messages. */
  output(): string;
  /** SIGTERM, then SIGKILL to the whole group after graceMs; resolves when it is gone. */
  stop(graceMs: number): Promise<ExitInfo>;
}

const OUTPUT_TAIL_CHARS = 16_000;

/*
 * fd 3 duplicates our pipe before the binary is backgrounded (a background job's stdin is
 * /dev/null); the watcher subshell blocks reading it and terminates the binary on EOF.
 * The wrapper itself ignores TERM/INT (set after the binary started, so the binary keeps
 * the default) so that a SIGTERM to the group stops the binary exactly once while the
 * wrapper waits; `wait` returns the binary's status, which becomes the wrapper's.
 */
const WATCHDOG_SCRIPT = [
  'exec 3<&0',
  '"$@" </dev/null &',
  'child=$!',
  '( while read -r _ <&3; do :; done; kill -TERM "$child" 2>/dev/null ) &',
  'watcher=$!',
  'exec 3<&-',
  "trap '' TERM INT",
  'wait "$child"; status=$?',
  'kill "$watcher" 2>/dev/null; wait "$watcher" 2>/dev/null',
  'exit "$status"',
].join('\n');

export function spawnSupervised(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): SupervisedProcess {
  const posix = process.platform !== 'win32';
  const child = posix
    ? spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT, 'temporal-watchdog', command, ...args], {
        env,
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true,
      })
    : spawn(command, [...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });

  let tail = '';
  const collect = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  let done = false;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.on('error', (err) => {
      collect(Buffer.from(`\n${err.message}\n`));
      done = true;
      resolve({ code: null, signal: null });
    });
    child.on('exit', (code, signal) => {
      done = true;
      resolve({ code, signal });
    });
  });

  // Belt and braces next to the pipe: a normal exit of ours asks the binary to stop.
  const killOnExit = (): void => kill(child, posix, 'SIGTERM');
  process.on('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));

  // Neither the child nor its pipes keep our event loop alive; the watchdog covers us.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) unrefStream(stream);

  return {
    pid: child.pid ?? -1,
    exited,
    hasExited: () => done,
    output: () => tail,
    async stop(graceMs) {
      if (done) return exited;
      // Whoever awaits stop() must see it finish: hold the event loop open until the exit.
      child.ref();
      kill(child, posix, 'SIGTERM');
      const timer = setTimeout(() => kill(child, posix, 'SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

function kill(child: ChildProcess, posix: boolean, signal: NodeJS.Signals): void {
  // The wrapper exits only after the binary did, so an exited wrapper means nothing is left.
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    // Negative pid: the whole group (wrapper, watcher, binary).
    if (posix) process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    // already gone
  }
}

function unrefStream(stream: unknown): void {
  const s = stream as { unref?: () => void } | null;
  s?.unref?.();
}
