/**
 * The results database (PostgreSQL) stopped while a 50-prompt batch completes and started
 * again: answers paid for while it was down are written once it is back, once each, and no
 * prompt is EXPIRED, UNSTORED or paid twice. Answer writes back off 5, 10, 20, 40, 80 s
 * (workflows/retry-policies.ts), so an outage of 8 s (longer on a loaded machine: stopping
 * and starting PostgreSQL take their time too) can hold a prompt for minutes: a long bound.
 */
import { countEvents, runScenario, until } from './scenario';
import { useFaultStack } from './stack';
import { finished, startFaultBatch } from './workload';

const PROMPTS = 50;
const DOWN_MS = 8_000;

const startStack = useFaultStack();

describe('database down', () => {
  it('stores every answer once when the database comes back during completions', async () => {
    // 4–8 s tasks, 25 at a time: many are still processing at cloro when the database stops.
    const s = await startStack({ sim: { concurrency: 25, processingMs: { min: 200_000, max: 400_000 } } });
    const finishedTasks = countEvents(s.sim.sim, 'task:finished');
    await s.startWorker();
    await runScenario('database down during completions', s, 360_000, async () => {
      const batch = await startFaultBatch(s, PROMPTS);
      await until('completions to be under way', () => finishedTasks() >= 10);
      const downSince = Date.now();
      await s.pg.down();
      const downAt = finishedTasks();
      await new Promise((resolve) => setTimeout(resolve, DOWN_MS));
      // cloro went on finishing tasks while their answers could not be written.
      expect(finishedTasks()).toBeGreaterThan(downAt);
      await s.pg.up();
      console.log(`database down for ${((Date.now() - downSince) / 1000).toFixed(1)} s`);
      return finished(batch);
    });
  }, 420_000);
});
