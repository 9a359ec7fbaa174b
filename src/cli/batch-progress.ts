/**
 * What a person sees of a running batch: a live bar fed by the `progress` query, and the
 * final table. Reads only; stopping the watch (Ctrl-C) leaves the batch running.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { type BatchProgress, progressQuery } from '../../workflows/definitions';
import type { batchWorkflow } from '../../workflows/batch';
import { waitForResult } from '../temporal/result';
import { type PromptCounts, promptCountsBar } from './progress-bar';

const POLL_MS = 500;

export async function watchBatch(handle: WorkflowHandle<typeof batchWorkflow>, interactive: boolean): Promise<BatchProgress> {
  const bar = promptCountsBar('batch', '{rate}/s | ETA {etaText}', { noTTYOutput: !interactive, notTTYSchedule: 10_000 });
  const started = Date.now();
  let last: BatchProgress | undefined;
  const fields = (p: BatchProgress): PromptCounts & { rate: string; etaText: string } => {
    const finished = p.finished;
    return {
      completed: p.completed,
      failed: p.failed + p.expired + p.orphaned + p.unstored,
      inFlight: p.inFlight,
      rate: (finished / Math.max(1, (Date.now() - started) / 1000)).toFixed(1),
      etaText: p.etaSeconds === null ? '…' : `${p.etaSeconds}s`,
    };
  };
  // The workflow's result is the final progress; the query drives the bar until then.
  const result = waitForResult(handle);
  let settled = false;
  result.then(
    () => (settled = true),
    () => (settled = true),
  );
  try {
    while (!settled) {
      last = await handle.query(progressQuery).catch(() => last);
      if (last) {
        if (!bar.isActive) bar.start(last.total, 0, fields(last));
        bar.update(last.finished + last.skipped, fields(last));
      }
      await Promise.race([result.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, POLL_MS))]);
    }
    const final = await result;
    if (bar.isActive) bar.update(final.finished + final.skipped, fields(final));
    return final;
  } finally {
    bar.stop();
  }
}

/** "plan 10 + queue 2 · 1 in transit · round trip 0.4 s": why the batch submits as fast as it does. */
function describeWindow(w: BatchProgress['window']): string {
  const roundTrip = w.roundTripMs === null ? '' : ` · round trip ${(w.roundTripMs / 1000).toFixed(1)} s`;
  return `plan ${w.concurrencyMax} + queue ${w.buffer} · ${w.pipeline} in transit${roundTrip}`;
}

/** The closing table (or one JSON line for scripts). */
export function printBatchSummary(p: BatchProgress, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(p));
    return;
  }
  const rows: Array<[string, string | number]> = [
    ['batch', p.batchId],
    ['state', p.done ? 'done' : 'running'],
    ['total', p.total],
    ['completed', p.completed],
    ['failed', p.failed],
    ['expired', p.expired],
    ['cancelled', p.cancelled],
    ['orphaned', p.orphaned],
    ['not stored', p.unstored],
    ['skipped', p.skipped],
    ['in flight', p.inFlight],
    ['not started', p.queued],
    ['credits', p.creditsEstimated > 0 ? `${p.creditsCharged} (~${p.creditsEstimated} credits estimated for orphans)` : p.creditsCharged],
    ['started', p.startedAt],
  ];
  if (p.stopReason) rows.push(['stopped by', p.stopReason]);
  if (!p.done && p.etaSeconds !== null) rows.push(['eta', `${p.etaSeconds} s`]);
  if (!p.done) rows.push(['window', describeWindow(p.window)]);
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
}
