/**
 * One run of a brand monitor, started by the monitor's Temporal Schedule: prepare the cells
 * (prompt × engine × country × sample, keys derived from the monitor id and the scheduled
 * time, so a retried run pays for nothing twice), run them as a child batch under the plan's
 * concurrency, credit budget and priority, then score the answers against the previous run.
 * A run stopped by credits or its budget pauses the schedule with a note, instead of letting
 * every later run fail the same way.
 */
import {
  ParentClosePolicy,
  executeChild,
  log,
  setCurrentDetails,
  setHandler,
  setWorkflowOptions,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { batchWorkflow } from './batch';
import {
  type BatchProgress,
  batchWorkflowId,
  CloroBatchIdKey,
  CloroBrandKey,
  CloroMonitorIdKey,
  CloroStatusKey,
  type MonitorRunInput,
  type MonitorRunPhase,
  type MonitorRunPlan,
  monitorRunQuery,
  type MonitorRunSummary,
  TemporalScheduledStartTimeKey,
} from './definitions';
import { budgetLeft, combineRounds } from './monitor-rounds';
import { monitorWork } from './retry-policies';
import { whenVersioned } from './versioning';

/** Waits on a batch for hours, so it follows the current build like batchWorkflow (patched() discipline). */
setWorkflowOptions(whenVersioned('AUTO_UPGRADE'), monitorRunWorkflow);

/** One scheduled run of a monitor: prepare its cells, run them as batches, score the answers. */
export async function monitorRunWorkflow({ monitorId }: MonitorRunInput): Promise<MonitorRunSummary> {
  const { prepareMonitorRun, planMoreSamples, closeMonitorRun, pauseMonitor } = monitorWork();
  const info = workflowInfo();
  // A manual trigger has no scheduled time: the run is due when it starts.
  const scheduledAt = (info.typedSearchAttributes.get(TemporalScheduledStartTimeKey) ?? info.startTime).toISOString();
  let phase: MonitorRunPhase = 'preparing';
  let plan: MonitorRunPlan | null = null;
  setHandler(monitorRunQuery, () => ({ phase, plan }));

  setCurrentDetails(`preparing the run due ${scheduledAt}`);
  const prepared = await prepareMonitorRun({ monitorId, scheduledAt, startedAt: info.startTime.toISOString() });
  plan = prepared;
  const summary: MonitorRunSummary = {
    monitorId,
    runId: prepared.runId,
    scheduledAt,
    backfilled: prepared.backfilled,
    skipped: prepared.skip,
    batch: null,
    metrics: null,
    paused: null,
  };
  if (prepared.skip !== null) {
    log.info('monitor run skipped', { monitorId, reason: prepared.skip });
    setCurrentDetails(`**SKIPPED** · ${prepared.skip}`);
    upsertSearchAttributes([{ key: CloroStatusKey, value: 'SKIPPED' }]);
    return summary;
  }

  phase = 'running';
  upsertSearchAttributes([
    { key: CloroBrandKey, value: prepared.brand },
    { key: CloroBatchIdKey, value: prepared.batchId },
  ]);
  setCurrentDetails(
    `running ${prepared.total} prompts for **${prepared.brand}**${prepared.backfilled ? ' (backfill)' : ''} · batch \`${prepared.batchId}\`` +
      (prepared.budget === null ? '' : ` · budget ${prepared.budget} credits`),
  );
  summary.batch = await runRound(prepared.promptSet, prepared.total, prepared.budget);
  // samples: auto — more rounds while cells' intervals are too wide, the budget lasts and nothing stopped the batch.
  for (let round = 2; prepared.autoSampling && summary.batch.stopReason === null; round++) {
    const left = budgetLeft(prepared.budget, summary.batch);
    if (left !== null && left <= 0) break;
    const more = await planMoreSamples({ monitorId, runId: prepared.runId, round });
    if (more.total === 0) break;
    setCurrentDetails(`round ${round}: ${more.total} more samples where the interval is still too wide`);
    summary.batch = combineRounds(summary.batch, await runRound(more.promptSet, more.total, left));
  }

  phase = 'analysing';
  setCurrentDetails(`scoring ${summary.batch.completed} answers against the previous run`);
  summary.metrics = await closeMonitorRun({ monitorId, runId: prepared.runId, progress: summary.batch });

  const stop = summary.batch.stopReason;
  if (stop === 'credits' || stop === 'budget') {
    summary.paused =
      stop === 'credits'
        ? `paused by run ${prepared.runId}: cloro's credit balance ran out (${summary.batch.skipped} prompts skipped); top up, then unpause`
        : `paused by run ${prepared.runId}: the run's budget of ${prepared.budget} credits was reached (${summary.batch.skipped} prompts skipped); raise budgetPerRun with \`monitor update\`, then unpause`;
    await pauseMonitor({ monitorId, note: summary.paused });
  }

  phase = 'done';
  const rate = summary.metrics.mentionRate.rate;
  setCurrentDetails(
    `**${summary.paused ? 'PAUSED' : 'COMPLETED'}** · ${summary.metrics.answers} answers · ${prepared.brand} named in ` +
      `${rate === null ? '–' : `${Math.round(rate * 100)} %`} · ${summary.metrics.significantChanges} real change(s) · ${summary.batch.creditsCharged} credits`,
  );
  upsertSearchAttributes([{ key: CloroStatusKey, value: summary.paused ? 'PAUSED' : 'COMPLETED' }]);
  return summary;

  /**
   * One batch of the run's cells. ABANDON, as a batch does with its prompts: a prompt already at
   * cloro is paid for, so a terminated run must not take its batch down. The batch id derives
   * from the run id: a retried run finds it (running, it attaches; closed, the re-run only
   * collects outcomes), and every round of the run is the same batch.
   */
  async function runRound(promptSet: string, total: number, budget: number | null): Promise<BatchProgress> {
    return executeChild<typeof batchWorkflow>('batchWorkflow', {
      workflowId: batchWorkflowId(prepared.batchId),
      args: [
        {
          batchId: prepared.batchId,
          source: { kind: 'promptSet', name: promptSet, total, offset: 0 },
          total,
          budget,
          prices: prepared.prices,
        },
      ],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      staticSummary: `monitor ${monitorId} · run due ${scheduledAt} · ${total} prompts`,
      typedSearchAttributes: [
        { key: CloroBatchIdKey, value: prepared.batchId },
        { key: CloroMonitorIdKey, value: monitorId },
        { key: CloroBrandKey, value: prepared.brand },
        { key: CloroStatusKey, value: 'RUNNING' },
      ],
    });
  }
}
