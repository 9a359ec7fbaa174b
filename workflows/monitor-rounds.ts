/**
 * A monitor run with `samples: auto` runs its cells in rounds (one batch each, same batch id);
 * the run reports them as one. Pure: unit-tested without Temporal.
 */
import type { BatchCounters, BatchProgress } from './definitions';

/** Every counter, checked by the compiler: a counter added to BatchCounters must be added here too. */
const COUNTED: Record<keyof BatchCounters, true> = {
  completed: true,
  failed: true,
  expired: true,
  cancelled: true,
  orphaned: true,
  unstored: true,
  skipped: true,
  creditsCharged: true,
  creditsEstimated: true,
};
const COUNTERS = Object.keys(COUNTED) as (keyof BatchCounters)[];

/** Two rounds as one: counts add up; the later round's state (stop reason, window, done) stands. */
export function combineRounds(earlier: BatchProgress, later: BatchProgress): BatchProgress {
  const sum = { ...later, total: earlier.total + later.total, finished: earlier.finished + later.finished, startedAt: earlier.startedAt };
  for (const key of COUNTERS) sum[key] = earlier[key] + later[key];
  return sum;
}

/** Credits left for the next round, or null without a budget. */
export function budgetLeft(budget: number | null, spent: BatchProgress): number | null {
  return budget === null ? null : budget - spent.creditsCharged;
}
