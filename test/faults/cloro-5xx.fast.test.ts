/**
 * A 5xx storm: 30% of cloro's answers on every route are 500, 502 or 503 while a 50-prompt
 * batch runs. Part of `npm test` (the integration project runs `*.fast.test.ts`) as well as
 * of the fault suite: ~30 s.
 */
import { runScenario } from './scenario';
import { useFaultStack } from './stack';
import { finished, startFaultBatch } from './workload';

const startStack = useFaultStack();

describe('cloro 5xx storm', () => {
  it('completes every prompt once through 30% 500/502/503 answers on every route', async () => {
    const s = await startStack({ sim: { concurrency: 10 } });
    await s.startWorker();
    s.sim.sim.addFaults({ errors: [500, 502, 503].map((status) => ({ route: '*', status, rate: 0.1 })) });
    await runScenario('cloro 5xx storm (30%)', s, 120_000, async () => finished(await startFaultBatch(s, 50)));
    expect(s.sim.sim.stats().requests['POST /v1/async/task']?.byStatus).toMatchObject({ 500: expect.any(Number), 503: expect.any(Number) });
  }, 180_000);
});
