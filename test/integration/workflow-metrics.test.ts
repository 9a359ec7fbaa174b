/**
 * What workflow code counts through the SDK's workflow metric meter — ORPHANED prompts and
 * the batch window — scraped from the worker runtime's Prometheus endpoint, as the worker
 * serves it on WORKER_SDK_METRICS_PORT. The runtime is process-wide and takes its metrics
 * settings once, so this file installs it before anything connects.
 */
import { randomUUID } from 'node:crypto';
import { startBatch } from '../../src/batches/start';
import { ASYNC_CREDIT_PRICES } from '../../src/cloro/prices';
import { findFreePort } from '../../src/temporal/ports';
import { installWorkerRuntime } from '../../src/temporal/runtime';
import { scrapeMetrics } from '../helpers/metrics';
import { type Harness, promptInput, runPrompt, startHarness } from '../helpers/prompt-harness';

const PLAN_CONCURRENCY = 3;

let h: Harness;
let sdkMetrics: string;

beforeAll(async () => {
  const port = await findFreePort();
  installWorkerRuntime('WARN', { prometheusBindAddress: `127.0.0.1:${port}` });
  sdkMetrics = `http://127.0.0.1:${port}`;
  h = await startHarness({ concurrency: PLAN_CONCURRENCY });
});
afterAll(async () => {
  await h?.close();
});

/** The value of `name` for one task queue (the SDK adds namespace, task queue and workflow type as labels). */
async function valueOn(name: string, taskQueue: string): Promise<number | undefined> {
  const page = await scrapeMetrics(sdkMetrics);
  const series = [...page.keys()].find((key) => key.startsWith(`${name}{`) && key.includes(`taskQueue="${taskQueue}"`));
  return series === undefined ? undefined : page.get(series);
}

/** Sink calls leave the workflow after its activation: poll briefly rather than race them. */
async function eventually(name: string, taskQueue: string): Promise<number | undefined> {
  for (let i = 0; i < 40; i++) {
    const value = await valueOn(name, taskQueue);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return undefined;
}

describe('workflow metrics on the runtime Prometheus endpoint', () => {
  it('counts a prompt that ends ORPHANED and the credits estimated for its lost task', async () => {
    h.sim.sim.reset();
    h.sim.sim.addFaults({ loseCreateResponse: { count: 1, respond: 'destroy' } });
    const input = promptInput({ delivery: 'poll' });
    const { summary, taskQueue } = await h.withWorker(async (tq) => ({ ...(await runPrompt(h, tq, input)), taskQueue: tq }));

    expect(summary).toMatchObject({ status: 'ORPHANED', creditsEstimated: true, creditsCharged: ASYNC_CREDIT_PRICES.CHATGPT });
    expect(await eventually('cloro_orphans_total', taskQueue)).toBe(1);
    expect(await eventually('cloro_credits_estimated_total', taskQueue)).toBe(ASYNC_CREDIT_PRICES.CHATGPT);
  });

  it("shows a batch's window: the plan concurrency cloro reported, the buffer and what is in flight", async () => {
    h.sim.sim.reset();
    const run = randomUUID().slice(0, 8);
    const requests = Array.from({ length: 8 }, (_, i) => ({
      taskType: 'CHATGPT' as const,
      prompt: `metered batch ${i} (${run})`,
      delivery: 'webhook' as const,
    }));
    const { progress, taskQueue } = await h.withWorker(async (tq) => {
      const { handle } = await startBatch(h.client, {
        batchId: `metrics-${run}`,
        requests,
        taskQueue: tq,
        promptSets: h.store,
        tuning: { statusIntervalMs: 1_000 },
      });
      return { progress: await handle.result(), taskQueue: tq };
    });

    expect(progress).toMatchObject({ total: 8, completed: 8, done: true });
    expect(await eventually('cloro_batch_concurrency_max', taskQueue)).toBe(PLAN_CONCURRENCY);
    expect(await eventually('cloro_batch_buffer', taskQueue)).toBe(progress.window.buffer);
    // The last value set is the finished batch's: nothing left in flight or in transit.
    expect(await eventually('cloro_batch_in_flight', taskQueue)).toBe(0);
    expect(await eventually('cloro_batch_pipeline', taskQueue)).toBe(0);
  });
});
