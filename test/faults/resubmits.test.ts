/**
 * The two deliberate ways a prompt pays more than once, bounded and owned up to: a lost
 * create whose task cannot be found (no webhook, no key lookup) ends ORPHANED with its price
 * estimated — or is resubmitted under `<key>-r1` when the policy allows — and a task cloro
 * ends FAILED with a transient code is resubmitted once. The invariants count every create
 * against the summary's `attempts` and every credit against what the prompts report.
 */
import { runScenario } from './scenario';
import { useFaultStack } from './stack';
import { finished, startFaultBatch } from './workload';

const PROMPTS = 50;

const startStack = useFaultStack();

describe('deliberate resubmits', () => {
  it('reports lost creates as ORPHANED with estimated credits, or resubmits them once when the policy allows', async () => {
    const s = await startStack({ bridge: false, sim: { concurrency: 10, lookupByIdempotencyKey: false } });
    await s.startWorker();
    s.sim.sim.addFaults({ loseCreateResponse: { count: 10, respond: 502 } });
    await runScenario('lost creates, no webhook: orphaned, estimated', s, 150_000, async () =>
      finished(await startFaultBatch(s, PROMPTS, { delivery: 'poll' })),
    );
    expect(s.sim.sim.stats().creates.conflicts).toBeGreaterThanOrEqual(10);
  }, 240_000);

  it('resubmits lost creates once under maxOrphanResubmits: 1, paying for both tasks in the open', async () => {
    const s = await startStack({ bridge: false, sim: { concurrency: 10, lookupByIdempotencyKey: false } });
    await s.startWorker();
    s.sim.sim.addFaults({ loseCreateResponse: { count: 10, respond: 502 } });
    await runScenario('lost creates, orphan resubmitted once', s, 150_000, async () =>
      finished(await startFaultBatch(s, PROMPTS, { delivery: 'poll', policy: { maxOrphanResubmits: 1 } })),
    );
  }, 240_000);

  it('resubmits tasks cloro ends FAILED with a transient code once, and records the rest as FAILED', async () => {
    const s = await startStack({ sim: { concurrency: 10, failureRate: 0.3, failureCode: 'INTERNAL_SERVER_ERROR' } });
    await s.startWorker();
    await runScenario('cloro tasks FAILED (30%), resubmitted once', s, 150_000, async () => finished(await startFaultBatch(s, PROMPTS)));
  }, 240_000);
});
