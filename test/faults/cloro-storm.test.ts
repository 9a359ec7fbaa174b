/**
 * cloro misbehaving at the HTTP level while a 50-prompt batch runs (the 5xx storm is in
 * cloro-5xx.fast.test.ts, part of `npm test`): both kinds of 429, answers slower than the client's timeout, and creates whose answer is lost (a
 * retry then gets 409). Temporal owns the retrying; the invariants say nothing was lost or
 * paid twice.
 */
import type { FaultsInput } from '../../src/simulator';
import { runScenario } from './scenario';
import { type FaultStack, type FaultStackOptions, useFaultStack } from './stack';
import { finished, startFaultBatch } from './workload';

const PROMPTS = 50;
const BUDGET_MS = 150_000;

const startStack = useFaultStack();

async function stormScenario(name: string, faults: FaultsInput, options: FaultStackOptions = {}): Promise<FaultStack> {
  const s = await startStack({ ...options, sim: { concurrency: 10, ...options.sim } });
  await s.startWorker();
  s.sim.sim.addFaults(faults);
  await runScenario(name, s, BUDGET_MS, async () => finished(await startFaultBatch(s, PROMPTS)));
  return s;
}

describe('cloro storms', () => {
  it('completes every prompt once through bursts of 429 RATE_LIMIT_EXCEEDED and QUEUE_LIMIT_EXCEEDED', async () => {
    const s = await stormScenario('cloro 429 bursts (rate + queue limit)', {
      errors: [
        { route: 'POST /v1/async/task', status: 429, code: 'RATE_LIMIT_EXCEEDED', retryAfterSeconds: 1, count: 25 },
        // cloro's queue-full answer means "minutes" (the client waits 60 s): a shorter burst keeps the scenario bounded.
        { route: 'POST /v1/async/task', status: 429, code: 'QUEUE_LIMIT_EXCEEDED', count: 8 },
        { route: 'GET /v1/async/status', status: 429, code: 'RATE_LIMIT_EXCEEDED', count: 10 },
        { route: 'GET /v1/async/task/:id', status: 429, code: 'RATE_LIMIT_EXCEEDED', count: 25 },
      ],
    });
    // Every burst was met: the scenario did not pass by missing its faults.
    const answered429 = (route: string) => s.sim.sim.stats().requests[route]?.byStatus[429];
    expect([answered429('POST /v1/async/task'), answered429('GET /v1/async/status'), answered429('GET /v1/async/task/:id')]).toEqual([
      33, 10, 25,
    ]);
  }, 240_000);

  it('adopts the task of a create answered slower than the client timeout instead of paying twice', async () => {
    await stormScenario(
      'cloro slower than the client timeout (20%)',
      { slow: [{ route: '*', ms: 2_500, rate: 0.2 }] },
      { workerEnv: { CLORO_TIMEOUT_MS: '1000' } },
    );
  }, 240_000);

  it('adopts the task named by its webhook when 30% of create answers are lost and cloro cannot look keys up', async () => {
    await stormScenario(
      'create answers lost → 409 (30%)',
      {
        loseCreateResponse: [
          { rate: 0.15, respond: 502 },
          { rate: 0.15, respond: 'destroy' },
        ],
      },
      { sim: { lookupByIdempotencyKey: false } },
    );
  }, 240_000);
});
