/**
 * The live bar of prompts a batch watch and the demo both draw: finished out of total, split
 * into completed, failed and in flight. Each caller names the line and adds its own tail
 * (rate and ETA for a batch, elapsed time for the demo) as cli-progress tokens.
 */
import { type Options, SingleBar } from 'cli-progress';

/** The payload every update carries (with the tail's own tokens). */
export interface PromptCounts {
  completed: number;
  failed: number;
  inFlight: number;
}

export function promptCountsBar(label: string, tail: string, options: Options = {}): SingleBar {
  return new SingleBar({
    format: ` ${label} [{bar}] {value}/{total} | {completed} completed · {failed} failed · {inFlight} in flight | ${tail}`,
    hideCursor: true,
    ...options,
  });
}
