/**
 * The embedded Temporal: `temporal server start-dev` with a SQLite file under the state
 * dir, the Web UI, and our search attributes. Which server to use (a configured one, one
 * already running, or this one) is ensure-temporal.ts's call. Each step is a small named
 * function so failures say which step failed.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Connection } from '@temporalio/client';
import { type ResolvedBinary, resolveTemporalBinary } from './binary';
import { connectOrClose } from './connection';
import { type LauncherLog, silentLog } from './log';
import { findFreePort, isListening, isPortFree, splitAddress } from './ports';
import { ensureSearchAttributes, searchAttributeFlags } from './search-attributes';
import { type ExitInfo, spawnSupervised, type SupervisedProcess } from './supervised-process';

export const DEFAULT_UI_PORT = 8233;
const DEFAULT_READY_TIMEOUT_MS = 60_000;
const DEFAULT_STOP_GRACE_MS = 10_000;
const LOOPBACK = '127.0.0.1';
/** Launches per startDevServer when ports we picked keep being taken before the server binds them. */
const MAX_START_ATTEMPTS = 3;

export interface DevServerOptions {
  /** State dir: the SQLite file lives here, and the binary cache under `<home>/bin`. */
  home: string;
  /** Frontend gRPC port; 0 or unset → a free port. */
  port?: number;
  /** Web UI port; unset → port + 1000 when free, else a free port; 0 → a free port. */
  uiPort?: number;
  /** false → `--headless` (tests). Default true. */
  ui?: boolean;
  /** The Web UI's remote codec endpoint (`cloro-temporal codec-server`'s URL): the UI decrypts payloads through it. */
  uiCodecEndpoint?: string;
  namespace?: string;
  /** Default `<home>/temporal.sqlite`; null → in-memory (state is lost on stop). */
  dbFile?: string | null;
  /** A binary already resolved (or a path); otherwise resolved from cliPath and the cache under home. */
  binary?: ResolvedBinary | string;
  /** TEMPORAL_CLI_PATH, used when `binary` is not given. */
  cliPath?: string | undefined;
  /** The dev server's own log level (its output is kept for error messages). */
  serverLogLevel?: 'debug' | 'info' | 'warn' | 'error';
  readyTimeoutMs?: number;
  stopGraceMs?: number;
  log?: LauncherLog;
}

export interface DevServer {
  /** host:port of the gRPC frontend. */
  address: string;
  /** The Web UI, or undefined when headless. */
  uiUrl: string | undefined;
  namespace: string;
  /** The supervising process group's id. */
  pid: number;
  binary: ResolvedBinary;
  dbFile: string | null;
  /** Milliseconds from spawning to "frontend answers and search attributes verified". */
  startupMs: number;
  /** The tail of the server's output. */
  output(): string;
  /** SIGTERM, SIGKILL after the grace period; resolves when the process is gone. Idempotent. */
  stop(): Promise<void>;
}

export class DevServerError extends Error {
  override name = 'DevServerError';
  /** Set when the server died because a port it needed was already bound. */
  readonly portInUse: number | undefined;

  constructor(message: string, options?: ErrorOptions & { portInUse?: number | undefined }) {
    super(message, options);
    this.portInUse = options?.portInUse;
  }
}

/**
 * Starts the dev server and waits until it serves our namespace with our search attributes.
 * A port we picked that something else binds first costs a fresh pick (up to three launches);
 * a port the caller gave that is taken fails at once.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const log = options.log ?? silentLog;
  await fs.mkdir(options.home, { recursive: true });
  const binary = await resolveBinary(options, log);
  const ui = options.ui ?? true;
  for (let attempt = 1; ; attempt++) {
    // Ports we pick are free when picked, but anything may bind them before the server
    // does (tests and benches start listeners in parallel); a fresh pick fixes that.
    const ports = await pickPorts(LOOPBACK, options.port, ui ? options.uiPort : null);
    try {
      return await launch(options, binary, ports, log);
    } catch (err) {
      const taken = err instanceof DevServerError ? err.portInUse : undefined;
      if (taken === undefined || attempt === MAX_START_ATTEMPTS || isGivenPort(options, taken)) throw err;
      log.debug(`temporal dev server: port ${taken} was taken before the server bound it; starting again on other ports`);
    }
  }
}

function isGivenPort(options: DevServerOptions, port: number): boolean {
  return port === options.port || port === options.uiPort;
}

async function launch(
  options: DevServerOptions,
  binary: ResolvedBinary,
  { port, uiPort }: { port: number; uiPort: number | null },
  log: LauncherLog,
): Promise<DevServer> {
  const namespace = options.namespace ?? 'default';
  const dbFile = options.dbFile === undefined ? path.join(options.home, 'temporal.sqlite') : options.dbFile;
  const args = devServerArgs({
    ip: LOOPBACK,
    port,
    uiPort,
    dbFile,
    namespace,
    logLevel: options.serverLogLevel ?? 'warn',
    ...(options.uiCodecEndpoint ? { uiCodecEndpoint: options.uiCodecEndpoint } : {}),
  });
  const address = `${LOOPBACK}:${port}`;

  log.debug(`temporal dev server: ${binary.path} ${args.join(' ')}`);
  const started = Date.now();
  const child = spawnSupervised(binary.path, args);
  try {
    await waitUntilReady(child, address, namespace, started + (options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS));
    await registerSearchAttributes(address, namespace, log);
  } catch (err) {
    await child.stop(1_000);
    throw err;
  }
  const startupMs = Date.now() - started;
  const uiUrl = uiPort === null ? undefined : `http://${LOOPBACK}:${uiPort}`;
  log.info(`temporal dev server ready at ${address} in ${startupMs} ms${uiUrl ? `; Web UI ${uiUrl}` : ''}`);

  const graceMs = options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
  let stopping: Promise<void> | undefined;
  return {
    address,
    uiUrl,
    namespace,
    pid: child.pid,
    binary,
    dbFile,
    startupMs,
    output: () => child.output(),
    stop() {
      stopping ??= child.stop(graceMs).then((exit) => log.debug(`temporal dev server stopped (${describeExit(exit)})`));
      return stopping;
    },
  };
}

async function resolveBinary(options: DevServerOptions, log: LauncherLog): Promise<ResolvedBinary> {
  if (typeof options.binary === 'string') return { path: options.binary, source: 'TEMPORAL_CLI_PATH' };
  return options.binary ?? resolveTemporalBinary({ cliPath: options.cliPath, home: options.home, log });
}

/** Frontend port: given, or free. UI: given, port+1000 if free, or free; null = headless. */
export async function pickPorts(
  ip: string,
  port: number | undefined,
  uiPort: number | undefined | null,
): Promise<{ port: number; uiPort: number | null }> {
  const frontend = port ? port : await findFreePort(ip);
  if (uiPort === null) return { port: frontend, uiPort: null };
  if (uiPort) return { port: frontend, uiPort };
  const conventional = frontend + 1000;
  if (uiPort === undefined && conventional <= 65535 && (await isPortFree(conventional, ip))) {
    return { port: frontend, uiPort: conventional };
  }
  return { port: frontend, uiPort: await findFreePort(ip) };
}

export interface DevServerArgs {
  ip: string;
  port: number;
  uiPort: number | null;
  dbFile: string | null;
  namespace: string;
  logLevel: string;
  uiCodecEndpoint?: string;
}

/**
 * The dev server leaves a file database in rollback-journal mode, where a reader waits for
 * every writer; WAL lets them overlap. synchronous=NORMAL syncs at checkpoints, not on every
 * commit: a crash of the server loses nothing, a power cut may lose the last moments.
 */
const SQLITE_PRAGMAS = ['journal_mode=WAL', 'synchronous=NORMAL', 'busy_timeout=5000'];

function sqlitePragmaFlags(): string[] {
  return SQLITE_PRAGMAS.flatMap((pragma) => ['--sqlite-pragma', pragma]);
}

/** The `temporal` command line; pure, so it is unit-tested. */
export function devServerArgs(a: DevServerArgs): string[] {
  return [
    'server',
    'start-dev',
    '--ip',
    a.ip,
    '--port',
    String(a.port),
    ...(a.uiPort === null ? ['--headless'] : ['--ui-port', String(a.uiPort)]),
    ...(a.uiPort !== null && a.uiCodecEndpoint ? ['--ui-codec-endpoint', a.uiCodecEndpoint] : []),
    ...(a.dbFile ? ['--db-filename', a.dbFile, ...sqlitePragmaFlags()] : []),
    // "default" always exists; other namespaces are created at launch.
    ...(a.namespace === 'default' ? [] : ['--namespace', a.namespace]),
    // Registered on a fresh database only; registerSearchAttributes covers existing ones.
    ...searchAttributeFlags(),
    '--log-level',
    a.logLevel,
  ];
}

/**
 * Polls until the frontend accepts a connection and answers DescribeNamespace for our
 * namespace. Fails early, with the server's output, if the process exits.
 */
async function waitUntilReady(child: SupervisedProcess, address: string, namespace: string, deadline: number): Promise<void> {
  const { host, port } = splitAddress(address);
  let lastError = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.hasExited()) throw diedDuringStartup(child, await child.exited);
    if (await isListening(host, port, 250)) {
      const answer = await Promise.race([frontendAnswers(address, namespace), child.exited.then(() => 'exited')]);
      if (answer === true) return;
      if (answer !== 'exited') lastError = answer;
    }
    await sleep(50);
  }
  throw new DevServerError(
    `temporal dev server did not answer at ${address} within the deadline (last error: ${lastError}); output: ${tailOf(child.output())}`,
  );
}

/** true when the frontend serves our namespace; otherwise the reason. */
async function frontendAnswers(address: string, namespace: string): Promise<true | string> {
  let connection: Connection | undefined;
  try {
    connection = await connectOrClose({ address, connectTimeout: '2s' });
    await connection.workflowService.describeNamespace({ namespace });
    return true;
  } catch (err) {
    return messageOf(err);
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

async function registerSearchAttributes(address: string, namespace: string, log: LauncherLog): Promise<void> {
  const connection = await connectOrClose({ address, connectTimeout: '5s' });
  try {
    const result = await ensureSearchAttributes(connection, namespace);
    log.debug(
      `search attributes on ${namespace}: ${result.added.length ? `added ${result.added.join(', ')}; ` : ''}present ${result.alreadyPresent.join(', ') || 'none'}`,
    );
  } finally {
    await connection.close();
  }
}

function diedDuringStartup(child: SupervisedProcess, exit: ExitInfo): DevServerError {
  const output = tailOf(child.output());
  return new DevServerError(`temporal dev server exited during startup (${describeExit(exit)}): ${output}`, {
    portInUse: portInUse(output),
  });
}

/** The port in the dev server's bind failure ("listen tcp 127.0.0.1:44373: bind: address already in use"). */
export function portInUse(output: string): number | undefined {
  const match = /listen tcp \S*:(\d+): bind: address already in use/.exec(output);
  return match ? Number(match[1]) : undefined;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function describeExit(exit: ExitInfo): string {
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code ?? 'unknown'}`;
}

function tailOf(output: string, lines = 15): string {
  const text = output.trim().split('\n').slice(-lines).join('\n');
  return text || '(no output)';
}
