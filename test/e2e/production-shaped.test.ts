/**
 * Issue #14: the production shape, configured by environment only — a real PostgreSQL for
 * results, a namespace nobody made beforehand on a Temporal that is not on the default port,
 * `temporal-setup` to prepare it, two worker processes and a bridge process, cloro's
 * webhooks signed and checked, and the CLI running a batch. `/metrics` of the workers and the
 * bridge, scraped afterwards, count what the batch did, and the workers' SDK metrics endpoints
 * show the batch window; all processes stop cleanly on SIGTERM.
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { findFreePort } from '../../src/temporal/ports';
import type { BatchProgress } from '../../workflows/definitions';
import { ensureBuilt } from '../helpers/build';
import { cleanEnv, killAllCli, runCli, spawnCli } from '../helpers/cli';
import { scrapeMetrics } from '../helpers/metrics';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
import { testTemporalState, uniqueTaskQueue } from '../helpers/temporal';
import { TempDirs } from '../helpers/temp-dirs';

const API_KEY = 'sk_test_e2e_production';
const WEBHOOK_SECRET = 'whsec_e2e_production_secret';
const BRIDGE_SECRET = 'e2e-production-bridge-secret-0123456789';
const ROWS = 30;

let pg: TestPostgres | undefined;
let sim: RunningSimulator | undefined;
const dirs = new TempDirs();

beforeAll(async () => {
  await ensureBuilt();
  await Promise.all([
    startPostgres().then((started) => (pg = started)),
    startSimulator({
      port: 0,
      apiKey: API_KEY,
      webhookSecret: WEBHOOK_SECRET,
      concurrency: 10,
      processingMs: { min: 200, max: 500 },
      seed: 14,
    }).then((started) => (sim = started)),
  ]);
}, 240_000);

afterAll(async () => {
  await killAllCli();
  await Promise.allSettled([sim?.close(), pg?.stop(), ...dirs.removeAll()]);
});

/** Polls `url` until it answers 200. */
async function until200(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(url).then(
      (res) => res.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms (last: ${status})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const sum = (pages: Map<string, number>[], series: string): number => pages.reduce((total, page) => total + (page.get(series) ?? 0), 0);

describe('the production shape, configured by env only', () => {
  it('runs a batch through two workers and a bridge on PostgreSQL, and /metrics counts it', async () => {
    if (!pg || !sim) throw new Error('PostgreSQL or the simulator did not start');
    const namespace = `prod-${randomUUID().slice(0, 8)}`;
    const taskQueue = uniqueTaskQueue('prod');
    const address = testTemporalState().address;
    expect(address.endsWith(':7233')).toBe(false);
    const [bridgePort, bridgeMetricsPort, ...workerPorts] = await Promise.all([1, 2, 3, 4].map(() => findFreePort()));
    const sdkMetricsPorts = await Promise.all([1, 2].map(() => findFreePort()));
    // Every process gets a state dir of its own and only the variables its role needs.
    const env = async (extra: Record<string, string>) =>
      cleanEnv({
        TEMPORAL_ADDRESS: address,
        TEMPORAL_NAMESPACE: namespace,
        CLORO_TASK_QUEUE: taskQueue,
        CLORO_TEMPORAL_HOME: await dirs.make('cloro-prod-home-'),
        ...extra,
      });

    const setup = await runCli(['temporal-setup'], await env({}), 60_000);
    expect({ code: setup.code, stderr: setup.stderr }).toEqual({ code: 0, stderr: '' });
    expect(setup.stdout).toContain(`namespace ${namespace}: created`);

    const bridge = spawnCli(
      ['bridge'],
      await env({
        BRIDGE_PORT: String(bridgePort),
        BRIDGE_METRICS_PORT: String(bridgeMetricsPort),
        BRIDGE_SECRET,
        CLORO_WEBHOOK_SECRET: WEBHOOK_SECRET,
      }),
    );
    await bridge.waitForOutput(/ready for cloro webhooks/, 30_000);

    const workerEnv = (port: number, sdkMetricsPort: number) =>
      env({
        CLORO_API_KEY: API_KEY,
        CLORO_BASE_URL: sim!.url,
        BRIDGE_PUBLIC_URL: `http://127.0.0.1:${bridgePort}`,
        BRIDGE_SECRET,
        DATABASE_URL: pg!.url,
        WORKER_HTTP_PORT: String(port),
        WORKER_SDK_METRICS_PORT: String(sdkMetricsPort),
      });
    const workers = await Promise.all([0, 1].map(async (i) => spawnCli(['worker'], await workerEnv(workerPorts[i]!, sdkMetricsPorts[i]!))));
    const opsUrls = workerPorts.map((port) => `http://127.0.0.1:${port}`);
    await Promise.all(workers.map((worker) => worker.waitForOutput(/worker on task queue/, 90_000)));
    await Promise.all(opsUrls.map((url) => until200(`${url}/readyz`, 30_000)));
    await until200(`http://127.0.0.1:${bridgeMetricsPort}/readyz`, 10_000);

    const batchId = `prod-${randomUUID().slice(0, 8)}`;
    const file = path.join(await dirs.make('cloro-prod-input-'), 'rows.jsonl');
    await writeFile(
      file,
      Array.from({ length: ROWS }, (_, i) => JSON.stringify({ taskType: 'CHATGPT', prompt: `Best CRM #${i} (${batchId})` })).join('\n') +
        '\n',
    );
    const ran = await runCli(['batch', file, '--id', batchId, '--wait', '--json'], await env({ DATABASE_URL: pg.url }), 150_000);
    expect({ code: ran.code, stderr: ran.stderr }).toEqual({ code: 0, stderr: expect.stringContaining(`batch ${batchId}`) });
    const progress = JSON.parse(ran.stdout.trim().split('\n').at(-1) ?? '') as BatchProgress;
    expect(progress).toMatchObject({ batchId, total: ROWS, completed: ROWS, failed: 0, done: true });
    expect(progress.creditsCharged).toBeGreaterThan(0);

    const workerPages = await Promise.all(opsUrls.map((url) => scrapeMetrics(url)));
    expect(sum(workerPages, 'cloro_creates_total{outcome="created"}')).toBe(ROWS);
    expect(sum(workerPages, 'cloro_tasks_finished_total{status="COMPLETED"}')).toBe(ROWS);
    expect(sum(workerPages, 'cloro_credits_charged_total')).toBe(progress.creditsCharged);
    expect(sum(workerPages, 'cloro_store_write_duration_seconds_count{operation="saveOutcome",outcome="ok"}')).toBe(ROWS);
    // The batch read cloro's queue: its window's input is on whichever worker ran that activity.
    expect(workerPages.some((page) => page.has('cloro_queue_concurrency_max'))).toBe(true);

    // The batch window, from workflow code through the SDK's meter: on whichever worker ran
    // the batch's workflow tasks, the plan concurrency the simulator reports.
    const sdkPages = await Promise.all(sdkMetricsPorts.map((port) => scrapeMetrics(`http://127.0.0.1:${port}`)));
    const batchGauge = (name: string) =>
      sdkPages.flatMap((page) => [...page].filter(([series]) => series.startsWith(`${name}{`)).map(([, value]) => value));
    expect(batchGauge('cloro_batch_concurrency_max')).toContain(10);
    expect(batchGauge('cloro_batch_buffer').length).toBeGreaterThan(0);
    expect(batchGauge('cloro_batch_in_flight').every((value) => value >= 0 && value <= ROWS)).toBe(true);
    expect(sdkPages.some((page) => [...page.keys()].some((series) => series.startsWith('cloro_orphans_total')))).toBe(false);

    const bridgePage = await scrapeMetrics(`http://127.0.0.1:${bridgeMetricsPort}`);
    const received = bridgePage.get('cloro_webhooks_received_total') ?? 0;
    expect(received).toBeGreaterThanOrEqual(ROWS);
    // Signed and tokened correctly, so none was rejected; a webhook for a prompt that had
    // already finished counts as `gone`.
    expect([...bridgePage.keys()].filter((series) => series.startsWith('cloro_webhooks_rejected_total'))).toEqual([]);
    expect(
      (bridgePage.get('cloro_webhooks_accepted_total{outcome="signalled"}') ?? 0) +
        (bridgePage.get('cloro_webhooks_accepted_total{outcome="gone"}') ?? 0),
    ).toBe(received);
    console.log(
      `production-shaped: ${ROWS} prompts, workers created ${workerPages.map((p) => p.get('cloro_creates_total{outcome="created"}') ?? 0).join(' + ')}, ${received} webhooks`,
    );

    for (const worker of workers) expect(await worker.stop('SIGTERM', 60_000)).toMatchObject({ code: 0 });
    expect(await bridge.stop('SIGTERM', 30_000)).toMatchObject({ code: 0 });
  }, 400_000);
});
