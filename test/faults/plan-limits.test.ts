/**
 * The org's plan moving under a running batch: credits running out mid-batch (the rest is
 * skipped or refused, never paid), and a plan change: cloro's status reports
 * `concurrency: null` (maintenance) while the org has 10 slots, then the org moves to a
 * 3-slot plan and later to a 20-slot one. The simulator's scheduler really runs that many
 * tasks at once (tasks started before the downgrade finish first), and status reports it.
 * The batch reads only the report; the scenario checks from the simulator's own counts that
 * the real limit bound.
 */
import type { Simulator } from '../../src/simulator';
import { countEvents, runScenario, until } from './scenario';
import { useFaultStack } from './stack';
import { finished, startFaultBatch } from './workload';

const PROMPTS = 50;
/** 30 prompts' worth at 5 credits each. */
const CREDITS = 150;

/** Prompts that must still be unfinished at the upgrade to 20 for "more than 3 ran at once" to be expected. */
const MIN_LEFT_AT_RAISE = 8;

type PlanPhase = 'null' | 'draining to 3' | '3' | '20';

/**
 * The most tasks PROCESSING at once (the simulator's own count, read at each start) and how
 * many started, per phase of the plan. The downgrade to 3 enters 'draining to 3' while more
 * than 3 still run; the 3-slot phase proper begins once they have finished down to 3.
 */
function trackPlanPhases(sim: Simulator) {
  const phases: Record<PlanPhase, { peak: number; starts: number }> = {
    null: { peak: 0, starts: 0 },
    'draining to 3': { peak: 0, starts: 0 },
    '3': { peak: 0, starts: 0 },
    '20': { peak: 0, starts: 0 },
  };
  let phase: PlanPhase = 'null';
  sim.on('task:started', () => {
    phases[phase].starts += 1;
    phases[phase].peak = Math.max(phases[phase].peak, sim.status().processingTasks);
  });
  sim.on('task:finished', () => {
    if (phase === 'draining to 3' && sim.status().processingTasks <= 3) phase = '3';
  });
  // Entered before the change is made: the new slots start queued tasks at once.
  return { phases, enter: (next: PlanPhase) => (phase = next) };
}

const startStack = useFaultStack();

describe('plan limits mid-batch', () => {
  it('pays only what cloro charged and leaves no prompt open when credits run out mid-batch', async () => {
    const s = await startStack({ sim: { concurrency: 10, initialCredits: CREDITS } });
    await s.startWorker();
    await runScenario('credits run out mid-batch', s, 150_000, async () => finished(await startFaultBatch(s, PROMPTS)));
    expect(s.sim.sim.stats().credits.charged).toBeLessThanOrEqual(CREDITS);
  }, 240_000);

  it('completes every prompt once while the real slots go from 10 (status null) to 3, then 20', async () => {
    const s = await startStack({ sim: { concurrency: 10, statusConcurrencyNull: true } });
    const sim = s.sim.sim;
    const finishedTasks = countEvents(sim, 'task:finished');
    const plan = trackPlanPhases(sim);
    let processingAtDowngrade = 0;
    let leftAtRaise = 0;
    await s.startWorker();
    await runScenario('plan concurrency null → 3 → 20 mid-batch', s, 150_000, async () => {
      const batch = await startFaultBatch(s, PROMPTS);
      await until('a third of the batch to finish', () => finishedTasks() >= PROMPTS / 3);
      sim.options.statusConcurrencyNull = false;
      processingAtDowngrade = sim.status().processingTasks;
      plan.enter(processingAtDowngrade > 3 ? 'draining to 3' : '3');
      sim.setConcurrency(3);
      await until('two thirds of the batch to finish', () => finishedTasks() >= (2 * PROMPTS) / 3);
      leftAtRaise = PROMPTS - finishedTasks();
      plan.enter('20');
      sim.setConcurrency(20);
      return finished(batch);
    });
    console.log(`plan phases ${JSON.stringify({ ...plan.phases, processingAtDowngrade, leftAtRaise })}`);

    // Tasks started under 10 slots ran on after the downgrade, and none started beside them;
    // once they were down to 3, never more than 3 ran at once, and the 3-slot phase did run
    // tasks (else the bound would say nothing).
    expect(plan.phases['draining to 3'].starts).toBe(0);
    expect(plan.phases['3'].starts).toBeGreaterThan(0);
    expect(plan.phases['3'].peak).toBeLessThanOrEqual(3);
    // After the upgrade, more than 3 at once, given work enough to fill them: the batch keeps
    // a buffer queued at cloro, which the new slots start at once, and then submits the rest.
    if (leftAtRaise >= MIN_LEFT_AT_RAISE) expect(plan.phases['20'].peak).toBeGreaterThan(3);
  }, 240_000);
});
