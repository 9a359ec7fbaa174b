/**
 * The org's plan moving under a running batch: credits running out mid-batch (the rest is
 * skipped or refused, never paid), and cloro's status reporting `concurrency: null`
 * (maintenance) and then a different plan while the batch runs. The simulator's scheduler
 * keeps its own slots; what changes is what cloro reports, which is all the batch reads.
 */
import { countEvents, runScenario, until } from './scenario';
import { useFaultStack } from './stack';
import { finished, startFaultBatch } from './workload';

const PROMPTS = 50;
/** 30 prompts' worth at 5 credits each. */
const CREDITS = 150;

const startStack = useFaultStack();

describe('plan limits mid-batch', () => {
  it('pays only what cloro charged and leaves no prompt open when credits run out mid-batch', async () => {
    const s = await startStack({ sim: { concurrency: 10, initialCredits: CREDITS } });
    await s.startWorker();
    await runScenario('credits run out mid-batch', s, 150_000, async () => finished(await startFaultBatch(s, PROMPTS)));
    expect(s.sim.sim.stats().credits.charged).toBeLessThanOrEqual(CREDITS);
  }, 240_000);

  it('completes every prompt once while cloro reports concurrency null, then 3, then 20 slots', async () => {
    const s = await startStack({ sim: { concurrency: 10, statusConcurrencyNull: true } });
    const options = s.sim.sim.options;
    const finishedTasks = countEvents(s.sim.sim, 'task:finished');
    await s.startWorker();
    await runScenario('plan concurrency null → 3 → 20 mid-batch', s, 150_000, async () => {
      const batch = await startFaultBatch(s, PROMPTS);
      await until('a third of the batch to finish', () => finishedTasks() >= PROMPTS / 3);
      options.statusConcurrencyNull = false;
      options.concurrency = 3;
      await until('two thirds of the batch to finish', () => finishedTasks() >= (2 * PROMPTS) / 3);
      options.concurrency = 20;
      return finished(batch);
    });
  }, 240_000);
});
