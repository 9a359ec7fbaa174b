/**
 * The bridge down for longer than cloro's whole webhook schedule (2 + 4 + 8 + 16 min of
 * cloro time, ~9 s real at 200×): every webhook of the batch is given up on, and every
 * result still arrives, by the prompts' safety-net poll.
 */
import { runScenario, until } from './scenario';
import { useFaultStack } from './stack';
import { finished, startFaultBatch } from './workload';

const PROMPTS = 50;
const TIME_SCALE = 200;

const startStack = useFaultStack();

describe('bridge down', () => {
  it('delivers every result by the safety-net poll when the bridge is down past the whole webhook schedule', async () => {
    const s = await startStack({ sim: { concurrency: 10, timeScale: TIME_SCALE } });
    await s.startWorker();
    await s.stopBridge();
    await runScenario('bridge down past the webhook schedule', s, 150_000, async () => {
      const batch = await startFaultBatch(s, PROMPTS, { timeScale: TIME_SCALE });
      await until('cloro to give up every webhook', () => s.sim.sim.stats().webhooks.gaveUp >= PROMPTS, 120_000);
      await s.startBridgeAgain();
      return finished(batch);
    });
    const webhooks = s.sim.sim.stats().webhooks;
    expect(webhooks).toMatchObject({ delivered: 0, gaveUp: PROMPTS });
  }, 240_000);
});
