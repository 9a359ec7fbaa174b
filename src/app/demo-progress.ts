/**
 * How the demo shows a monitor run while it goes: the batch's `progress` query, found through
 * the run's plan (`monitorRunQuery`), drawn as the bar a batch watch draws on a terminal, and
 * as plain lines elsewhere (CI, pipes, tests).
 */
import type { Client } from '@temporalio/client';
import { type PromptCounts, promptCountsBar } from '../cli/progress-bar';
import { type BatchProgress, batchWorkflowId, monitorRunQuery, progressQuery } from '../../workflows/definitions';

/** Plain lines: at most one a second (and the last), so a run of dozens of prompts stays readable. */
const LINE_INTERVAL_MS = 1_000;

export interface RunProgress {
  update(p: BatchProgress): void;
  stop(): void;
}

/** The batch's progress, once the run has planned it; undefined before that or when a query fails. */
export async function readRunProgress(client: Client, runWorkflowId: string): Promise<BatchProgress | undefined> {
  try {
    const { plan } = await client.workflow.getHandle(runWorkflowId).query(monitorRunQuery);
    if (!plan || plan.skip !== null) return undefined;
    return await client.workflow.getHandle(batchWorkflowId(plan.batchId)).query(progressQuery);
  } catch {
    return undefined; // not started yet, or between workflow tasks: the next tick asks again
  }
}

function countsOf(p: BatchProgress): PromptCounts {
  return { completed: p.completed, failed: p.finished - p.completed, inFlight: p.inFlight };
}

export function startRunProgress(out: NodeJS.WriteStream, label: string): RunProgress {
  if (out.isTTY) {
    const bar = promptCountsBar(label, '{duration_formatted}', { stream: out, barsize: 24 });
    return {
      update: (p) => {
        if (!bar.isActive) bar.start(p.total, 0, countsOf(p));
        bar.setTotal(p.total);
        bar.update(p.finished + p.skipped, countsOf(p));
      },
      stop: () => bar.stop(),
    };
  }
  let shown = '';
  let shownAt = 0;
  let pending: BatchProgress | undefined;
  const write = (p: BatchProgress) => {
    const c = countsOf(p);
    const line = `${label}: ${p.finished}/${p.total} done — ${c.completed} completed, ${c.failed} failed, ${c.inFlight} in flight\n`;
    if (line === shown) return;
    out.write(line);
    shown = line;
    shownAt = Date.now();
    pending = undefined;
  };
  return {
    update: (p) => {
      if (Date.now() - shownAt >= LINE_INTERVAL_MS || p.done) write(p);
      else pending = p;
    },
    stop: () => pending && write(pending),
  };
}
