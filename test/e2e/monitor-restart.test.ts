/**
 * Issue #12: a brand monitor's schedule outlives its worker and its Temporal server. The
 * worker process is SIGKILLed and the dev server (our own, on a SQLite file) is SIGKILLed
 * after the first scheduled run; while both are down a run falls due. The server comes back
 * on the same file and port, a new worker process starts, and the schedule catches the
 * missed run up: every cell is created at cloro once, and what cloro charged is what the runs
 * report. Real processes on loopback: dev server, PostgreSQL, worker; the simulator runs in
 * this process so its stats can be read.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../../src/config';
import { testMonitor } from '../helpers/monitors';
import { createMonitor, describeMonitor, type MonitorSession, pauseMonitor } from '../../src/monitors/manage';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { DbResultStore } from '../../src/store/db-store';
import { openStore, type Store } from '../../src/store/db';
import { MonitorStore, type RunRow } from '../../src/store/monitors';
import { type ResolvedBinary, resolveTemporalBinary } from '../../src/temporal/binary';
import { type DevServer, startDevServer } from '../../src/temporal/dev-server';
import { monitorScheduleId } from '../../workflows/definitions';
import { ensureBuilt } from '../helpers/build';
import { cleanEnv, killAllCli, spawnCli, type CliProcess } from '../helpers/cli';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
import { crashServer, restartServer } from '../helpers/temporal-crash';
import { uniqueTaskQueue } from '../helpers/temporal';

const API_KEY = 'sk_test_e2e_monitor_restart';
const NAMESPACE = 'default';
/** Cells a run: 2 prompts × 2 engines × 1 country × 1 sample. */
const CELLS = 4;
const WORKER_READY_MS = 60_000;

let home: string | undefined;
let binary: ResolvedBinary;
let server: DevServer | undefined;
let client: Client | undefined;
let pg: TestPostgres | undefined;
let store: Store | undefined;
let sim: RunningSimulator | undefined;
const taskQueue = uniqueTaskQueue('monitor-restart');

beforeAll(async () => {
  await ensureBuilt();
  home = await mkdtemp(path.join(os.tmpdir(), 'cloro-monitor-restart-'));
  const cfg = loadConfig();
  binary = await resolveTemporalBinary({ cliPath: cfg.temporal.cliPath, home: cfg.home });
  server = await startDevServer({ home, ui: false, namespace: NAMESPACE, binary });
  client = await clientOf(server);
  pg = await startPostgres();
  store = await openStore({ url: pg.url, dataDir: path.join(home, 'unused-embedded-db') });
  sim = await startSimulator({ port: 0, apiKey: API_KEY, processingMs: { min: 300, max: 900 }, seed: 12 });
}, 240_000);

afterAll(async () => {
  // Each step runs even when an earlier one fails: nothing may outlive the file.
  const steps: (() => Promise<unknown> | undefined)[] = [
    () => killAllCli(),
    () => client?.connection.close(),
    () => server?.stop(),
    () => store?.close(),
    () => pg?.stop(),
    () => sim?.close(),
    () => (home ? rm(home, { recursive: true, force: true }) : undefined),
  ];
  for (const step of steps) await Promise.resolve(step()).catch((err: unknown) => console.error('monitor-restart teardown:', err));
}, 60_000);

async function clientOf(dev: DevServer): Promise<Client> {
  return new Client({ connection: await Connection.connect({ address: dev.address }), namespace: NAMESPACE });
}

function session(): MonitorSession {
  if (!client || !store) throw new Error('beforeAll did not finish');
  return { client, monitors: new MonitorStore(store.db), results: new DbResultStore(store.db), taskQueue };
}

function startWorker(dev: DevServer): CliProcess {
  if (!sim || !pg || !home) throw new Error('beforeAll did not finish');
  return spawnCli(
    ['worker'],
    cleanEnv({
      TEMPORAL_ADDRESS: dev.address,
      TEMPORAL_NAMESPACE: NAMESPACE,
      DATABASE_URL: pg.url,
      CLORO_API_KEY: API_KEY,
      CLORO_BASE_URL: sim.url,
      CLORO_TASK_QUEUE: taskQueue,
      CLORO_TEMPORAL_HOME: home,
    }),
  );
}

/** Reads until `ok`; read errors (a server still starting) count as "not yet". */
async function waitFor<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = 'nothing read yet';
  for (;;) {
    try {
      const value = await read();
      if (ok(value)) return value;
      last = value;
    } catch (err) {
      last = err instanceof Error ? err.message : err;
    }
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}; last read: ${JSON.stringify(last)}`);
    await sleep(500);
  }
}

const scored = (run: RunRow): boolean => run.finishedAt !== null && run.metrics !== null;
const creditsOf = (run: RunRow): number => (run.progress as { creditsCharged: number }).creditsCharged;

describe('monitor restart', () => {
  it('keeps its schedule through a worker SIGKILL and a Temporal restart, catches the missed run up and pays every cell once', async () => {
    if (!server || !home || !sim) throw new Error('beforeAll did not finish');
    // No bridge in this test: the worker polls cloro.
    const monitor = testMonitor({
      id: `restart-${taskQueue.slice(-6)}`,
      competitors: [{ name: 'Salesforce', domains: ['salesforce.com'] }],
      samples: 1,
      cadence: { every: '20s' },
      delivery: 'poll',
    });
    await createMonitor(session(), monitor);
    const firstWorker = startWorker(server);
    await firstWorker.waitForOutput(/worker on task queue/, WORKER_READY_MS);

    await waitFor(
      'the first scheduled run to finish and be scored',
      () => session().monitors.listRuns(monitor.id),
      (runs) => runs.some(scored),
      60_000,
    );
    const { nextRuns } = await describeMonitor(session(), monitor.id);

    expect(await firstWorker.stop('SIGKILL')).toMatchObject({ signal: 'SIGKILL' });
    const address = server.address;
    await client?.connection.close();
    client = undefined;
    await crashServer(server);
    const downAt = Date.now();
    // Stay down past a due time, so the restarted schedule has a missed run to catch up.
    const missed = nextRuns.find((t) => t.getTime() > downAt);
    if (!missed) throw new Error(`no due time after the crash among ${JSON.stringify(nextRuns)}`);
    await sleep(missed.getTime() - Date.now() + 1_000);

    server = await restartServer(home, address, binary, NAMESPACE);
    expect(server.address).toBe(address);
    client = await clientOf(server);
    const secondWorker = startWorker(server);
    await secondWorker.waitForOutput(/worker on task queue/, WORKER_READY_MS);
    await waitFor(
      `the run due during the outage (${missed.toISOString()}) to finish and be scored`,
      () => session().monitors.listRuns(monitor.id),
      (runs) => runs.some((r) => Date.parse(r.scheduledAt) === missed.getTime() && scored(r)),
      60_000,
    );

    const overview = await describeMonitor(session(), monitor.id);
    expect(overview).toMatchObject({ scheduleMissing: false, paused: false });

    // Stop the cadence, then let whatever the schedule started finish.
    await pauseMonitor(session(), monitor.id, 'monitor-restart test over');
    const schedule = client.schedule.getHandle(monitorScheduleId(monitor.id));
    await waitFor(
      'the schedule to have no running action',
      () => schedule.describe(),
      (d) => d.info.runningActions.length === 0,
      60_000,
    );
    const open = `CloroMonitorId = '${monitor.id}' AND ExecutionStatus = 'Running'`;
    await waitFor(
      'no open workflow of the monitor',
      () => client!.workflow.count(open),
      ({ count }) => count === 0,
      30_000,
    );
    const runs = await waitFor(
      'every stored run to finish',
      () => session().monitors.listRuns(monitor.id),
      (rs) => rs.every(scored),
      30_000,
    );
    await secondWorker.stop('SIGTERM');

    // Runs on both sides of the outage, each finished and scored.
    expect(runs.some((r) => Date.parse(r.scheduledAt) < downAt)).toBe(true);
    expect(runs.filter((r) => Date.parse(r.scheduledAt) >= downAt).length).toBeGreaterThanOrEqual(1);
    expect(runs.every((r) => r.total === CELLS && !r.backfilled)).toBe(true);

    // Every cell created at cloro once, and every created task stored as an answer.
    const stats = sim.sim.stats();
    const created = Object.entries(stats.creates.byIdempotencyKey);
    expect(created.filter(([, k]) => k.created !== 1)).toEqual([]);
    const stored: string[] = [];
    for (const run of runs) {
      const page = await session().results.listBatch(run.batchId, { limit: 100 });
      expect(page.records.map((r) => r.status)).toEqual(Array<string>(CELLS).fill('COMPLETED'));
      stored.push(...page.records.map((r) => r.idempotencyKey));
    }
    expect(stored.sort()).toEqual(created.map(([key]) => key).sort());
    expect(stats.tasks.created).toBe(stored.length);

    // What cloro charged is what the runs report, to the credit.
    expect(runs.reduce((sum, r) => sum + creditsOf(r), 0)).toBe(stats.credits.charged);
    console.log(
      `monitor restart: ${runs.length} runs (${runs.map((r) => r.scheduledAt).join(', ')}); missed run due ${missed.toISOString()} caught up`,
    );
  }, 180_000);
});
