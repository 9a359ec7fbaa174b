/**
 * The processes a fault scenario runs against, all real and on loopback: the simulator over
 * HTTP (in this process, so its records can be read), the bridge (in this process, on a
 * fixed port so it can go down and come back where cloro's webhooks point), a throwaway
 * PostgreSQL (so it can go down too) and worker processes of the built CLI (so they can be
 * SIGKILLed). Every log line of every process is kept for the invariant checker's secret scan.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import pino from 'pino';
import { startBridge, type RunningBridge } from '../../src/bridge/server';
import { temporalNotifier } from '../../src/bridge/temporal-notifier';
import { startSimulator, type RunningSimulator, type SimulatorOptionsInput } from '../../src/simulator';
import { openStore, type Store } from '../../src/store/db';
import { DbResultStore } from '../../src/store/db-store';
import type { PromptTiming } from '../../workflows/definitions';
import { DEFAULT_PROMPT_TIMING } from '../../workflows/tuning';
import { ensureBuilt } from '../helpers/build';
import { cleanEnv, killAllCli, spawnCli, type CliProcess } from '../helpers/cli';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
import { testNamespace, testTemporalState, uniqueTaskQueue } from '../helpers/temporal';

/** One seed for the simulator of every scenario; a failure prints it (FAULT_SEED=<n> reruns with another). */
export const FAULT_SEED = Number(process.env.FAULT_SEED ?? 1301);

/** Everything the secret scan looks for: none may appear in a history, a log line or an error message. */
export const SECRETS = {
  apiKey: 'sk_test_faults_9f2c41d07be3a6e5',
  bridgeSecret: 'bridge-faults-secret-7c1e9a24d5b80f36e2',
  webhookSecret: 'whsec_faults_4b9d0e7a13c2f865',
} as const;

/** cloro time runs this much faster than real time unless a scenario says otherwise. */
export const DEFAULT_TIME_SCALE = 50;
const WORKER_READY_MS = 60_000;

export interface FaultStackOptions {
  sim?: SimulatorOptionsInput;
  /** A Temporal server of the scenario's own (one it may kill); else the jest run's shared one. */
  temporalAddress?: string;
  /** Without a bridge the workers poll. */
  bridge?: boolean;
  /** Extra environment for every worker (e.g. CLORO_TIMEOUT_MS). */
  workerEnv?: Record<string, string>;
}

export interface FaultStack {
  readonly sim: RunningSimulator;
  readonly pg: TestPostgres;
  readonly store: Store;
  readonly results: DbResultStore;
  readonly taskQueue: string;
  /** Base URL of the bridge (fixed for the stack's life); undefined without one. */
  readonly bridgeUrl: string | undefined;
  /** Every task cloro created, by id: the idempotency key it was created under. */
  readonly taskKeys: ReadonlyMap<string, string | null>;
  client(): Client;
  /** A worker process on the stack's task queue, resolved once it polls. */
  startWorker(): Promise<CliProcess>;
  /** Stops the bridge; webhooks then fail at cloro and are retried on its schedule. */
  stopBridge(): Promise<void>;
  /** The bridge again, on the same port (the callback URLs already handed out stay valid). */
  startBridgeAgain(): Promise<void>;
  /** After the Temporal server came back: a fresh client (and bridge notifier) on `address`. */
  reconnect(address: string): Promise<void>;
  /** Every log line so far: workers' stdout and stderr, the bridge's log. */
  logs(): string;
  close(): Promise<void>;
}

/**
 * A stack for each test of the calling `describe`, closed after it (even when it failed):
 * returns the function that starts one.
 */
export function useFaultStack(): (options?: FaultStackOptions) => Promise<FaultStack> {
  let stack: FaultStack | undefined;
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  }, 60_000);
  return async (options) => (stack = await startFaultStack(options));
}

/** The prompt timing of the defaults compressed by the simulator's time scale, so cloro's schedules and ours keep their ratio. */
export function scaledTiming(timeScale: number): Partial<PromptTiming> {
  const scale = (ms: number) => Math.max(200, Math.round(ms / timeScale));
  return {
    pollInitialMs: scale(DEFAULT_PROMPT_TIMING.pollInitialMs),
    pollMaxMs: scale(DEFAULT_PROMPT_TIMING.pollMaxMs),
    safetyPollMs: scale(DEFAULT_PROMPT_TIMING.safetyPollMs),
    safetyPollMaxMs: scale(DEFAULT_PROMPT_TIMING.safetyPollMaxMs),
    orphanWaitMs: scale(DEFAULT_PROMPT_TIMING.orphanWaitMs),
  };
}

export async function startFaultStack(options: FaultStackOptions = {}): Promise<FaultStack> {
  await ensureBuilt();
  const address = options.temporalAddress ?? testTemporalState().address;
  const namespace = options.temporalAddress ? 'default' : testNamespace();
  const home = await mkdtemp(path.join(os.tmpdir(), 'cloro-faults-'));
  const pg = await startPostgres();
  const store = await openStore({ url: pg.url, dataDir: path.join(home, 'unused-embedded-db') });
  const results = new DbResultStore(store.db);
  const sim = await startSimulator({
    port: 0,
    apiKey: SECRETS.apiKey,
    webhookSecret: SECRETS.webhookSecret,
    timeScale: DEFAULT_TIME_SCALE,
    processingMs: { min: 5_000, max: 20_000 },
    lookupByIdempotencyKey: true,
    seed: FAULT_SEED,
    ...options.sim,
  });
  const taskKeys = new Map<string, string | null>();
  sim.sim.on('task:created', (task) => taskKeys.set(task.id, task.idempotencyKey));
  let client = new Client({ connection: await Connection.connect({ address }), namespace });
  const taskQueue = uniqueTaskQueue('faults');
  const logLines: string[] = [];
  const bridgeLog = pino(
    { level: 'debug' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString('utf8'));
        done();
      },
    }),
  );
  const withBridge = options.bridge ?? true;
  let bridge: RunningBridge | undefined;
  let bridgePort = 0;
  const openBridge = async () => {
    bridge = await startBridge({
      port: bridgePort,
      notifier: temporalNotifier(client),
      bridgeSecret: SECRETS.bridgeSecret,
      webhookSecret: SECRETS.webhookSecret,
      logger: bridgeLog,
      closeGraceMs: 1_000,
    });
    bridgePort = Number(new URL(bridge.url).port);
  };
  if (withBridge) await openBridge();
  const bridgeUrl = bridge?.url;
  const workers: CliProcess[] = [];
  const retired: Client[] = [];

  return {
    sim,
    pg,
    store,
    results,
    taskQueue,
    bridgeUrl,
    taskKeys,
    client: () => client,
    async startWorker() {
      const worker = spawnCli(
        ['worker', '--max-activities', '40'],
        cleanEnv({
          TEMPORAL_ADDRESS: address,
          TEMPORAL_NAMESPACE: namespace,
          DATABASE_URL: pg.url,
          CLORO_API_KEY: SECRETS.apiKey,
          CLORO_BASE_URL: sim.url,
          CLORO_TASK_QUEUE: taskQueue,
          CLORO_TEMPORAL_HOME: home,
          BRIDGE_SECRET: SECRETS.bridgeSecret,
          ...(bridgeUrl ? { BRIDGE_PUBLIC_URL: bridgeUrl } : {}),
          ...options.workerEnv,
        }),
      );
      workers.push(worker);
      await worker.waitForOutput(/worker on task queue/, WORKER_READY_MS);
      return worker;
    },
    async stopBridge() {
      await bridge?.close();
      bridge = undefined;
    },
    startBridgeAgain: openBridge,
    async reconnect(newAddress) {
      // The old connection is closed with the stack, not now: calls begun during the outage
      // (the bridge's signals) still retry on it, and a closed channel would fail them loudly.
      retired.push(client);
      client = new Client({ connection: await Connection.connect({ address: newAddress }), namespace });
      if (bridge) {
        await bridge.close();
        await openBridge();
      }
    },
    logs: () => [...logLines, ...workers.flatMap((w) => [w.stdout(), w.stderr()])].join('\n'),
    async close() {
      // Each step runs even when an earlier one fails: nothing may outlive the scenario.
      const steps: (() => Promise<unknown> | undefined)[] = [
        () => killAllCli(),
        () => bridge?.close(),
        () => Promise.all([client, ...retired].map((c) => c.connection.close())),
        () => sim.close(),
        () => store.close(),
        () => pg.stop(),
        () => rm(home, { recursive: true, force: true }),
      ];
      for (const step of steps) await Promise.resolve(step()).catch((err: unknown) => console.error('fault stack teardown:', err));
    },
  };
}
