/**
 * What the Temporal benches share: a dev server of their own (or TEMPORAL_ADDRESS), the
 * results database with its writes timed, and per measured run a fresh simulated plan,
 * bridge and worker on a fresh task queue, all in this process and on loopback.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Command } from 'commander';
import { z } from 'zod';
import { startBridge } from '../src/bridge/server';
import { temporalNotifier } from '../src/bridge/temporal-notifier';
import { callbackUrl } from '../src/bridge/token';
import { CloroClient } from '../src/cloro/client';
import { startSimulator, type RunningSimulator } from '../src/simulator';
import { openStore, type Store } from '../src/store/db';
import { MonitorStore } from '../src/store/monitors';
import { startDevServer } from '../src/temporal/dev-server';
import { installWorkerRuntime } from '../src/temporal/runtime';
import { createWorker } from '../src/temporal/worker';
import { SlotMeter, type SlotFigures } from './slot-meter';
import { databaseSize, formatLatency, TimedResultStore, type DatabaseSize } from './store-meter';

const API_KEY = 'sk_bench_0123456789abcdef';
const BRIDGE_SECRET = 'bench-bridge-secret-0123456789abcdef';

export interface BenchEnv {
  client: Client;
  connection: NativeConnection;
  namespace: string;
  address: string;
  store: Store;
  results: TimedResultStore;
  monitors: MonitorStore;
  size(): Promise<DatabaseSize>;
  close(): Promise<void>;
}

/** Answers go to the embedded database (PGlite in process, as `dev` runs it) unless a PostgreSQL URL is given. */
export async function openBenchEnv(databaseUrl?: string): Promise<BenchEnv> {
  installWorkerRuntime('WARN');
  const home = await mkdtemp(path.join(os.tmpdir(), 'cloro-bench-'));
  const server = process.env.TEMPORAL_ADDRESS ? undefined : await startDevServer({ home, port: 0, ui: false, serverLogLevel: 'error' });
  const address = process.env.TEMPORAL_ADDRESS ?? server!.address;
  const client = new Client({ connection: await Connection.connect({ address }), namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
  const connection = await NativeConnection.connect({ address });
  const dataDir = path.join(home, 'db');
  const store = await openStore({ url: databaseUrl, dataDir });
  return {
    client,
    connection,
    namespace: client.options.namespace,
    address,
    store,
    results: new TimedResultStore(store.db),
    monitors: new MonitorStore(store.db),
    size: () => databaseSize(store, store.engine === 'pglite' ? dataDir : undefined),
    async close() {
      await store.close();
      await connection.close();
      await client.connection.close();
      await server?.stop();
      await rm(home, { recursive: true, force: true });
    },
  };
}

/** The options every Temporal bench takes: the simulated plan, progress lines, where answers go. */
export const PlanOptionsSchema = z.object({
  concurrency: z.coerce.number().int().positive(),
  timeScale: z.coerce.number().positive(),
  taskMs: z.coerce.number().int().positive(),
  reportEvery: z.coerce.number().positive(),
  databaseUrl: z.string().optional(),
});
export type PlanOptions = z.infer<typeof PlanOptionsSchema>;

export function withPlanOptions(command: Command): Command {
  return command
    .option('--concurrency <n>', "the simulated plan's concurrency", '50')
    .option('--time-scale <x>', 'cloro ms per real ms', '20')
    .option('--task-ms <ms>', 'mean task processing time in cloro ms (±50%)', '6000')
    .option('--report-every <s>', 'seconds between progress lines', '30')
    .option('--database-url <url>', 'a scratch PostgreSQL database for the answers (default: embedded PGlite in a temp dir)');
}

export interface PlanRun {
  taskQueue: string;
  sim: RunningSimulator;
  meter: SlotMeter;
  /** Peak RSS of this process so far, sampled every 250 ms. */
  peakRssMB(): number;
  /** cloro API calls the simulator has served. */
  apiCalls(): number;
}

/** Runs `fn` against a fresh simulated plan, bridge and worker (webhook delivery goes through the bridge). */
export async function onPlan<T>(
  env: BenchEnv,
  label: string,
  items: number,
  opts: PlanOptions,
  fn: (run: PlanRun) => Promise<T>,
): Promise<T> {
  const sim = await startSimulator({
    port: 0,
    apiKey: API_KEY,
    concurrency: opts.concurrency,
    timeScale: opts.timeScale,
    processingMs: { min: opts.taskMs / 2, max: (opts.taskMs * 3) / 2 },
    rateLimitPerSecond: 1000,
    seed: 1,
  });
  const bridge = await startBridge({ port: 0, host: '127.0.0.1', notifier: temporalNotifier(env.client), bridgeSecret: BRIDGE_SECRET });
  const taskQueue = `bench-${randomUUID().slice(0, 8)}`;
  const meter = new SlotMeter(sim, opts.concurrency, items);
  let peakRss = process.memoryUsage().rss;
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
  const reportTimer = setInterval(() => void report(env, label, items, meter.figures(), peakRss, apiCalls(sim)), opts.reportEvery * 1000);
  try {
    const workers = await createWorker({
      connection: env.connection,
      namespace: env.namespace,
      taskQueue,
      deps: {
        cloro: new CloroClient({ apiKey: API_KEY, baseURL: sim.url }),
        store: env.results,
        monitors: env.monitors,
        callbackUrl: (workflowId) => callbackUrl(bridge.url, BRIDGE_SECRET, workflowId),
      },
      maxConcurrentWorkflowTaskExecutions: 100,
      maxConcurrentActivityTaskExecutions: 200,
    });
    return await workers.runUntil(
      fn({
        taskQueue,
        sim,
        meter,
        peakRssMB: () => Math.max(peakRss, process.memoryUsage().rss) / 2 ** 20,
        apiCalls: () => apiCalls(sim),
      }),
    );
  } finally {
    clearInterval(rssTimer);
    clearInterval(reportTimer);
    meter.stop();
    await bridge.close();
    await sim.close();
  }
}

/** A line now and then, so a run of hours shows where it is (and leaves figures behind if stopped). */
async function report(env: BenchEnv, label: string, items: number, f: SlotFigures, peakRss: number, calls: number): Promise<void> {
  const steady = f.steadyUtilization === null ? '' : ` · steady ${(f.steadyUtilization * 100).toFixed(1)} %`;
  const writes = env.results.peek().all;
  const size = await env.size().catch(() => null);
  console.log(
    `[${new Date().toISOString()}] ${label}: ${f.finished}/${items} finished at cloro · ${f.processing} processing · ${f.queued} queued (max ${f.maxQueueDepth}) · ` +
      `utilization ${(f.utilization * 100).toFixed(1)} %${steady} · API calls ${calls} · peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB · ` +
      `store writes ${formatLatency(writes)} · database ${size === null ? '?' : (size.database / 2 ** 20).toFixed(1)} MB · load ${loadAverage()}`,
  );
}

function apiCalls(sim: RunningSimulator): number {
  return Object.values(sim.sim.stats().requests).reduce((n, r) => n + r.total, 0);
}

/** 1, 5 and 15 minutes: other work shares the machine, and every figure is printed with it. */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}
