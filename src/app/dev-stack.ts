/**
 * The embedded stack behind `cloro-temporal dev` / `npm start`, in one process tree:
 * the results database (DATABASE_URL, else the embedded one, served on a free local port),
 * Temporal (a configured or running server, else the embedded dev server with its Web UI),
 * the cloro simulator when no API key is configured, the webhook bridge and a worker.
 * Its addresses go to `<home>/dev-stack.json` while it runs, so other terminals find them.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import pino from 'pino';
import { startBridge, type RunningBridge } from '../bridge/server';
import { temporalNotifier } from '../bridge/temporal-notifier';
import { loadOrCreateBridgeSecret, WEBHOOK_ROUTE_PREFIX } from '../bridge/token';
import { type Config, DEFAULT_CLORO_BASE_URL } from '../config';
import type { MonitorSession } from '../monitors/manage';
import { startSimulator, type RunningSimulator } from '../simulator';
import { embeddedDataDir } from '../store';
import { openStore } from '../store/db';
import { serveEmbedded, type ServedDatabase } from '../store/embedded';
import { dataConverterOption } from '../codec/data-converter';
import { connectClient, connectWorker } from '../temporal/connection';
import { ensureTemporal, type TemporalHandle } from '../temporal/ensure-temporal';
import { type LauncherLog, silentLog } from '../temporal/log';
import { createWorker } from '../temporal/worker';
import { buildActivityDeps } from './activity-deps';
import { DEV_STACK_FILE, type DevStackAddresses, devStackFilePath, readDevStackFile } from './dev-stack-file';
import { Teardown } from './teardown';

/** Where the embedded simulator listens when the port is free (the `simulator` command's default). */
export const DEFAULT_SIMULATOR_PORT = 4010;
/** cloro-time ms per real ms: the simulator's 5–20 s processing becomes 0.5–2 s. */
export const DEV_TIME_SCALE = 10;
/** Plan concurrency of the embedded simulator: small enough that a demo shows queueing. */
export const DEV_PLAN_CONCURRENCY = 5;
/**
 * Seed of the embedded simulator unless `dev --seed` gives another: its answers are seeded,
 * so the demo's figures are the same on every start.
 */
export const DEV_SIMULATOR_SEED = 12;
/** The simulator accepts any bearer key; this one only makes requests recognisable in its logs. */
const SIMULATOR_API_KEY = 'sk_dev_embedded_simulator';

export interface DevStackOptions {
  /** Port of the local Temporal to adopt or start (default 7233); ignored when TEMPORAL_ADDRESS is set. */
  temporalPort?: number;
  /** Web UI port of the embedded server (default: Temporal port + 1000 when free). */
  uiPort?: number;
  /** Bridge port (default BRIDGE_PORT); a free port is used when it is taken. */
  bridgePort?: number;
  /** Simulator port (default 4010); a free port is used when it is taken. 0 = any free port. */
  simulatorPort?: number;
  /** Simulator time scale (default DEV_TIME_SCALE). */
  timeScale?: number;
  /** Simulator plan concurrency (default DEV_PLAN_CONCURRENCY). */
  concurrency?: number;
  /** Simulator seed (default DEV_SIMULATOR_SEED). */
  seed?: number;
  /** Progress of the start-up and problems while stopping. */
  log?: LauncherLog;
}

export interface DevStack {
  addresses: DevStackAddresses;
  temporal: TemporalHandle;
  simulator: RunningSimulator | undefined;
  bridge: RunningBridge;
  /** A client on the stack's namespace (closed by stop()). */
  client: Client;
  /** Monitors, on the stack's client and results database (what the demo uses). */
  monitors: MonitorSession;
  /** The worker(s) polling the task queue (workflows, and cloro activities on its API queue). */
  worker: Awaited<ReturnType<typeof createWorker>>;
  /** Whether prompts can use delivery 'webhook' (cloro can reach the bridge). */
  webhooks: boolean;
  /** Path of dev-stack.json. */
  stateFile: string;
  /** Settles when the worker stops; rejects if it fails while the stack is up. */
  workerDone: Promise<void>;
  /** Stops everything in reverse order of start, each step bounded; idempotent; never rejects. */
  stop(): Promise<void>;
}

export async function startDevStack(cfg: Config, options: DevStackOptions = {}): Promise<DevStack> {
  const log = options.log ?? silentLog;
  const teardown = new Teardown(10_000, (message) => log.warn(message));
  try {
    return await start(cfg, options, log, teardown);
  } catch (err) {
    await teardown.run();
    throw err;
  }
}

async function start(cfg: Config, options: DevStackOptions, log: LauncherLog, teardown: Teardown): Promise<DevStack> {
  // First, so a data dir another process holds fails the start before anything else runs.
  const database = cfg.databaseUrl === undefined ? await serveEmbeddedDatabase(cfg, teardown) : undefined;
  const temporal = await ensureTemporal(cfg, {
    ui: true,
    localAddress: `127.0.0.1:${options.temporalPort ?? 7233}`,
    ...(options.uiPort !== undefined ? { uiPort: options.uiPort } : {}),
    log,
  });
  teardown.add('Temporal', () => temporal.stop(), 15_000);
  if (temporal.source === 'running-local') {
    log.warn(
      `using the Temporal server already running at ${temporal.address}; another worker on its "${cfg.temporal.taskQueue}" queue may pick up our prompts`,
    );
  }
  const overrides = { address: temporal.address };

  const webhookSecret = cfg.cloro.webhookSecret ?? (cfg.cloro.apiKey ? undefined : `whsec_dev_${randomBytes(24).toString('base64url')}`);
  let simulator: RunningSimulator | undefined;
  if (!cfg.cloro.apiKey) {
    simulator = await listenWithFallback(options.simulatorPort ?? DEFAULT_SIMULATOR_PORT, 'simulator', log, (port) =>
      startSimulator({
        port,
        timeScale: options.timeScale ?? DEV_TIME_SCALE,
        concurrency: options.concurrency ?? DEV_PLAN_CONCURRENCY,
        seed: options.seed ?? DEV_SIMULATOR_SEED,
        ...(webhookSecret ? { webhookSecret } : {}),
      }),
    );
    const running = simulator;
    teardown.add('simulator', () => running.close());
  }

  const client = await connectClient(cfg, overrides);
  teardown.add('Temporal client', () => client.connection.close());

  const bridgeSecret = await loadOrCreateBridgeSecret(cfg);
  const logger = pino({ level: 'warn', base: { service: 'cloro-bridge' } }, pino.destination(2));
  const bridge = await listenWithFallback(options.bridgePort ?? cfg.bridge.port, 'bridge', log, (port) =>
    startBridge({ port, notifier: temporalNotifier(client), bridgeSecret, webhookSecret, logger }),
  );
  teardown.add('bridge', () => bridge.close());
  const wantedPort = options.bridgePort ?? cfg.bridge.port;
  if (cfg.bridge.publicUrl && wantedPort !== 0 && !bridge.url.endsWith(`:${wantedPort}`)) {
    log.warn(
      `BRIDGE_PUBLIC_URL is set, but the bridge listens on ${bridge.url} (port ${wantedPort} was taken): make sure it forwards there`,
    );
  }

  // cloro must be able to reach the callback URLs: the local bridge is fine for the embedded
  // simulator; a real cloro needs BRIDGE_PUBLIC_URL (else prompts poll).
  const callbackBase = cfg.bridge.publicUrl ?? (simulator ? bridge.url : null);
  if (!callbackBase) log.warn('CLORO_API_KEY is set but BRIDGE_PUBLIC_URL is not: cloro cannot reach this bridge, prompts will poll');
  // The worker reaches the served database by URL, like any other process.
  const built = await buildActivityDeps(database ? { ...cfg, databaseUrl: database.url } : cfg, {
    ...(simulator ? { cloroBaseURL: simulator.url, cloroApiKey: SIMULATOR_API_KEY } : {}),
    ...(callbackBase ? { bridgeUrl: callbackBase } : {}),
  });
  teardown.add('results store connection', () => built.close());
  const { deps } = built;
  if (!deps.monitors) throw new Error('the activity dependencies have no monitor store');

  const connection: NativeConnection = await connectWorker(cfg, overrides);
  teardown.add('worker connection', () => connection.close());
  const worker = await createWorker({
    connection,
    namespace: cfg.temporal.namespace,
    taskQueue: cfg.temporal.taskQueue,
    deps,
    identity: `cloro-temporal-dev@${os.hostname()}:${process.pid}`,
    ...dataConverterOption(cfg),
  });
  const workerDone = worker.run();
  // A failure surfaces through workerDone; keep it from being an unhandled rejection meanwhile.
  workerDone.catch(() => undefined);
  teardown.add(
    'worker',
    async () => {
      worker.shutdown();
      await workerDone.catch(() => undefined);
    },
    15_000,
  );

  const addresses: DevStackAddresses = {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    temporal: { address: temporal.address, namespace: temporal.namespace, uiUrl: temporal.uiUrl ?? null, source: temporal.source },
    taskQueue: cfg.temporal.taskQueue,
    cloro: { url: simulator?.url ?? cfg.cloro.baseURL ?? DEFAULT_CLORO_BASE_URL, simulator: simulator !== undefined },
    bridge: { url: bridge.url, callbackBase: callbackBase ? `${callbackBase.replace(/\/+$/, '')}${WEBHOOK_ROUTE_PREFIX}/` : null },
    ...(database ? { database: { url: database.url } } : {}),
  };
  const stateFile = devStackFilePath(cfg.home);
  await writeStateFile(stateFile, addresses);
  teardown.add(DEV_STACK_FILE, () => removeStateFile(stateFile));

  return {
    addresses,
    temporal,
    simulator,
    bridge,
    client,
    monitors: { client, monitors: deps.monitors, results: deps.store, taskQueue: cfg.temporal.taskQueue },
    worker,
    webhooks: callbackBase !== null,
    stateFile,
    workerDone,
    stop: async () => {
      await teardown.run();
    },
  };
}

/**
 * Opens the embedded database (its lock file names us to any other opener) and serves it on
 * a free local port; stopped last. While served, this process too reaches it only by URL.
 */
async function serveEmbeddedDatabase(cfg: Config, teardown: Teardown): Promise<ServedDatabase> {
  const store = await openStore({ dataDir: embeddedDataDir(cfg) });
  teardown.add('results database', () => store.close());
  const served = await serveEmbedded(store, 0);
  teardown.add('results database server', () => served.close());
  return served;
}

/** Listens on the preferred port, or on any free one when it is taken (then says so). */
async function listenWithFallback<T>(port: number, what: string, log: LauncherLog, listen: (port: number) => Promise<T>): Promise<T> {
  try {
    return await listen(port);
  } catch (err) {
    if (port === 0 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    log.info(`${what}: port ${port} is taken; using a free port`);
    return listen(0);
  }
}

/** Written whole (temp file + rename), so a reader never sees half a file. */
async function writeStateFile(file: string, addresses: DevStackAddresses): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, `${JSON.stringify(addresses, null, 2)}\n`);
  await fs.rename(tmp, file);
}

/** Removes the file only while it is still ours: a stack started later may have replaced it. */
async function removeStateFile(file: string): Promise<void> {
  const current = await readDevStackFile(file);
  if (current && current.pid !== process.pid) return;
  await fs.rm(file, { force: true });
}

/** The lines `dev` prints at start. */
export function describeDevStack(a: DevStackAddresses, stateFile: string): string[] {
  const source = { embedded: 'embedded dev server', 'running-local': 'already running', TEMPORAL_ADDRESS: 'TEMPORAL_ADDRESS' }[
    a.temporal.source
  ];
  return [
    `Temporal   ${a.temporal.address} (namespace ${a.temporal.namespace}, ${source})`,
    `Web UI     ${a.temporal.uiUrl ?? '(not known for this server)'}`,
    `cloro      ${a.cloro.url}${a.cloro.simulator ? ' (embedded simulator)' : ''}`,
    `bridge     ${a.bridge.url}${a.bridge.callbackBase ? '' : ' (webhooks off: prompts poll)'}`,
    `worker     task queue "${a.taskQueue}"`,
    `results    ${a.database ? `${a.database.url} (embedded database, served)` : 'DATABASE_URL'}`,
    `addresses  ${stateFile}`,
  ];
}
