/**
 * `samples: auto`: after each round of a run, every prompt × engine × country cell whose
 * mention-rate interval is still wider than the target gets one more sample, until it is
 * narrow enough or the cell has `maxSamples`. Pure: decided from the run's stored answers.
 */
import { needsMoreSamples, wilson } from '../analysis';
import type { AnswerAnalysis } from '../analysis';
import type { PromptRecord } from '../store/record';
import { type Cell, cellsOf, type Monitor } from './definition';

const cellOf = (c: { promptId: string; engine: string; country: string }) => `${c.promptId}|${c.engine}|${c.country}`;

/** The next sample of each cell that still needs one (none when sampling is fixed). */
export function moreSamples(monitor: Monitor, records: readonly PromptRecord[], analyses: readonly AnswerAnalysis[]): Cell[] {
  const { autoSampling } = monitor;
  if (monitor.samples !== 'auto' || !autoSampling) return [];
  // Every answer asked so far counts towards the cap (a FAILED one too: it was a sample).
  const asked = new Map<string, number>();
  for (const r of records) {
    const key = cellOf({ promptId: r.labels.promptId ?? '', engine: r.taskType, country: r.country });
    asked.set(key, Math.max(asked.get(key) ?? 0, Number(r.labels.sample ?? 0)));
  }
  const mentioned = new Map<string, { successes: number; trials: number }>();
  for (const a of analyses) {
    if (a.analysable === false) continue;
    const tally = mentioned.get(cellOf(a)) ?? { successes: 0, trials: 0 };
    tally.trials += 1;
    if (a.brand.mentioned) tally.successes += 1;
    mentioned.set(cellOf(a), tally);
  }
  return cellsOf(monitor, 1).flatMap((cell) => {
    const key = cellOf(cell);
    const taken = asked.get(key) ?? 0;
    const tally = mentioned.get(key) ?? { successes: 0, trials: 0 };
    if (taken >= autoSampling.maxSamples || !needsMoreSamples(wilson(tally.successes, tally.trials), autoSampling.targetHalfWidth))
      return [];
    return [{ ...cell, sample: taken + 1 }];
  });
}
