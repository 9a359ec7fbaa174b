/** How the monitor commands print runs: one line each, the outcome and the headline figure. */
import type { BatchProgress } from '../../workflows/definitions';
import type { RunMetrics } from '../analysis/types';
import type { RunRow } from '../store/monitors';

export function formatRunLine(run: RunRow): string {
  const progress = run.progress as BatchProgress | null;
  const metrics = run.metrics as RunMetrics | null;
  const outcome = run.finishedAt === null ? 'running' : progress?.stopReason ? `stopped: ${progress.stopReason}` : 'done';
  const rate = metrics?.overall.mentionRate;
  const named = rate?.rate == null ? '' : ` · named in ${pct(rate.rate)} (${pct(rate.low)}–${pct(rate.high)})`;
  const counts = progress ? ` · ${progress.completed}/${progress.total} answers · ${progress.creditsCharged} credits` : '';
  return `${run.runId} (due ${run.scheduledAt}${run.backfilled ? ', backfill' : ''}) ${outcome}${counts}${named}`;
}

function pct(x: number | null): string {
  return x === null ? '–' : `${Math.round(x * 100)} %`;
}
