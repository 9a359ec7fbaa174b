/**
 * What one run of a monitor asks: its cells (prompt × engine × country × sample), the
 * idempotency key of each, and the least it can cost. Pure (no Node APIs, no I/O), so a
 * workflow may import it: the monitor's prompts already carry their ids from parsing.
 */
import { ASYNC_CREDIT_PRICES } from '../cloro/prices';
import type { TaskType } from '../cloro/schemas';
import { promptTextField } from '../cloro/task-rules';

/** The parts of a monitor a run is made of (a parsed `Monitor` has them all). */
export interface RunShape {
  id: string;
  prompts: readonly { id: string; text: string; tags: readonly string[] }[];
  engines: readonly TaskType[];
  countries: readonly string[];
  samples: number | 'auto';
}

export interface Cell {
  promptId: string;
  prompt: string;
  tags: string[];
  engine: TaskType;
  /** `query` for Google-style engines, `prompt` for the AI engines. */
  textField: 'prompt' | 'query';
  country: string;
  /** 1-based. */
  sample: number;
}

/** Samples asked per cell at the start of a run: the fixed count, or 1 for `auto` (more are added as needed). */
export function initialSamples(monitor: Pick<RunShape, 'samples'>): number {
  return monitor.samples === 'auto' ? 1 : monitor.samples;
}

/** Every cell of one run, prompt-major, in the order the definition lists them. */
export function cellsOf(monitor: RunShape, samples = initialSamples(monitor)): Cell[] {
  const cells: Cell[] = [];
  for (const prompt of monitor.prompts) {
    for (const engine of monitor.engines) {
      for (const country of monitor.countries) {
        for (let sample = 1; sample <= samples; sample++) {
          const textField = promptTextField(engine);
          cells.push({ promptId: prompt.id, prompt: prompt.text, tags: [...prompt.tags], engine, textField, country, sample });
        }
      }
    }
  }
  return cells;
}

/** Credits of one run at the fewest samples (1 for `auto`), at cloro's async prices. */
export function minimumRunCost(
  monitor: Pick<RunShape, 'engines' | 'countries' | 'samples'> & { prompts: readonly unknown[] },
  prices: Readonly<Record<TaskType, number>> = ASYNC_CREDIT_PRICES,
): number {
  const perCountryAndSample = monitor.engines.reduce((sum, engine) => sum + prices[engine], 0);
  return monitor.prompts.length * monitor.countries.length * initialSamples(monitor) * perCountryAndSample;
}

/** `20260101T060000Z`: the scheduled time to the second, without characters a key cannot hold. */
export function compactInstant(scheduledAt: Date | string): string {
  const date = new Date(scheduledAt);
  if (Number.isNaN(date.getTime())) throw new RangeError(`cellKey: ${String(scheduledAt)} is not a date`);
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/**
 * The idempotency key of one cell of one scheduled run: a re-triggered run (same monitor,
 * same scheduled time) derives the same keys, so cloro returns the first tasks instead of
 * charging again. At most 113 characters of `A–Z a–z 0–9 . _ : -` (a monitor id is ≤ 64 of
 * `a–z 0–9 -`, a prompt id 12 hex digits), so it is a valid `IdempotencyKeySchema`.
 */
export function cellKey(
  monitorId: string,
  scheduledAt: Date | string,
  promptId: string,
  engine: TaskType,
  country: string,
  sample: number,
): string {
  return [monitorId, compactInstant(scheduledAt), promptId, engine.toLowerCase(), country.toLowerCase(), String(sample)].join(':');
}
