/**
 * `samples: auto`: a workflow keeps sampling a cell until the Wilson interval of the rate it
 * measures is narrow enough. Pure, so workflow code may call it between samples.
 */
import { halfWidth } from './stats';
import type { Proportion } from './types';

/**
 * True while the interval's half-width is wider than `targetHalfWidth` (e.g. 0.15 for ±15
 * points), or there is no interval yet. The caller still needs a hard cap on samples: at
 * p = 0.5 a ±0.05 target takes about 380 answers.
 */
export function needsMoreSamples(p: Proportion, targetHalfWidth: number): boolean {
  if (!(targetHalfWidth > 0 && targetHalfWidth < 1)) {
    // Validated where the monitor is configured; reaching here is a programming error.
    throw new RangeError(`targetHalfWidth must be between 0 and 1 (exclusive), got ${targetHalfWidth}`);
  }
  const half = halfWidth(p);
  return half === null || half > targetHalfWidth;
}
