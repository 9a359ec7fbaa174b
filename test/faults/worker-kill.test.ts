/**
 * Worker processes SIGKILLed mid-batch — while creates are in flight, while answers are
 * being written (the kill during the wait is worker-kill-wait.fast.test.ts, part of
 * `npm test`) — and one worker of two killed: a fresh
 * worker (or the survivor) finishes every prompt, each paid once. An activity of a killed
 * worker is retried once its start-to-close timeout (1 min) passes, so these run ~1–2 min.
 */
import { countEvents, runScenario, until } from './scenario';
import { useFaultStack } from './stack';
import { finished, startFaultBatch } from './workload';

const PROMPTS = 50;
const BUDGET_MS = 200_000;
const TEST_MS = 300_000;

const startStack = useFaultStack();

describe('worker SIGKILL', () => {
  it(
    'completes every prompt once after the worker is killed while creates are in flight',
    async () => {
      const s = await startStack({ sim: { concurrency: 20 } });
      const created = countEvents(s.sim.sim, 'task:created');
      // Every create takes 1.5 s to answer: a kill lands while several are in flight.
      s.sim.sim.addFaults({ slow: { route: 'POST /v1/async/task', ms: 1_500, rate: 1 } });
      const first = await s.startWorker();
      await runScenario('worker SIGKILL during create', s, BUDGET_MS, async () => {
        const batch = await startFaultBatch(s, PROMPTS);
        await until('the first creates to land', () => created() >= 3);
        await first.stop('SIGKILL');
        s.sim.sim.clearFaults();
        await s.startWorker();
        return finished(batch);
      });
    },
    TEST_MS,
  );

  it(
    'completes every prompt once after the worker is killed while answers are being fetched and stored',
    async () => {
      const s = await startStack({ sim: { concurrency: 10 } });
      const done = countEvents(s.sim.sim, 'task:finished');
      const first = await s.startWorker();
      await runScenario('worker SIGKILL during the store write', s, BUDGET_MS, async () => {
        const batch = await startFaultBatch(s, PROMPTS);
        await until('completions to be under way', () => done() >= 15);
        await first.stop('SIGKILL');
        await s.startWorker();
        return finished(batch);
      });
    },
    TEST_MS,
  );

  it(
    'completes every prompt once on the surviving worker when one of two is killed mid-batch',
    async () => {
      const s = await startStack({ sim: { concurrency: 10 } });
      const done = countEvents(s.sim.sim, 'task:finished');
      const [doomed] = await Promise.all([s.startWorker(), s.startWorker()]);
      await runScenario('two workers, one SIGKILLed mid-batch', s, BUDGET_MS, async () => {
        const batch = await startFaultBatch(s, PROMPTS);
        await until('the batch to be half done', () => done() >= PROMPTS / 2);
        await doomed!.stop('SIGKILL');
        return finished(batch);
      });
    },
    TEST_MS,
  );
});
