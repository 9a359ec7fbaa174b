/**
 * The worker process SIGKILLed while every prompt of a 50-prompt batch waits on cloro: a new
 * worker process finishes them on the tasks created before the kill. Part of `npm test` (the
 * integration project runs `*.fast.test.ts`) as well as of the fault suite: ~25 s.
 */
import { countEvents, runScenario, until } from './scenario';
import { useFaultStack } from './stack';
import { finished, startFaultBatch } from './workload';

const PROMPTS = 50;

const startStack = useFaultStack();

describe('worker SIGKILL during the wait', () => {
  it('completes every prompt once after the worker is killed while every prompt waits on cloro', async () => {
    // 200–300 s of cloro time (4–6 s real): everything is created and waiting when the worker dies.
    const s = await startStack({ sim: { concurrency: PROMPTS, processingMs: { min: 200_000, max: 300_000 } } });
    const created = countEvents(s.sim.sim, 'task:created');
    const first = await s.startWorker();
    await runScenario('worker SIGKILL during the wait', s, 120_000, async () => {
      const batch = await startFaultBatch(s, PROMPTS);
      await until('every task to be created', () => created() >= PROMPTS);
      await first.stop('SIGKILL');
      // Nothing finished at cloro yet: the new worker takes over prompts mid-wait.
      expect(s.sim.sim.stats().tasks.completed).toBe(0);
      await s.startWorker();
      return finished(batch);
    });
  }, 180_000);
});
