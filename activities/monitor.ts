/**
 * What a monitor run needs from the outside: its definition and cells (written as the run's
 * prompt set), scoring its answers against the previous run, and pausing its schedule.
 */
import { Context, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { RunComparison, RunMetrics } from '../src/analysis/types';
import { ASYNC_CREDIT_PRICES } from '../src/cloro/prices';
import { moreSamples } from '../src/monitors/auto-sampling';
import { type Cell, cellKey, cellsOf, type Monitor } from '../src/monitors/definition';
import { runAnswers, scoreRun } from '../src/monitors/score-run';
import { loadStoredMonitor, monitorBatchId, monitorRunId } from '../src/monitors/stored';
import {
  type BatchItem,
  type BatchProgress,
  type MonitorRunMetricsSummary,
  type MonitorRunPlan,
  monitorScheduleId,
} from '../workflows/definitions';
import type { ActivityDeps } from './deps';

/** A run that starts this much after it was due is a backfill (or a catch-up after an outage). */
const BACKFILL_LAG_MS = 15 * 60_000;

export function createMonitorActivities({ store, monitors }: ActivityDeps) {
  function monitorStore() {
    if (!monitors) throw ApplicationFailure.nonRetryable('this worker has no monitor store', 'ConfigError');
    return monitors;
  }

  return {
    async prepareMonitorRun(input: { monitorId: string; scheduledAt: string; startedAt: string }): Promise<MonitorRunPlan> {
      const row = await monitorStore().get(input.monitorId);
      const runId = monitorRunId(input.monitorId, input.scheduledAt);
      const batchId = monitorBatchId(input.monitorId, input.scheduledAt);
      const backfilled = Date.parse(input.startedAt) - Date.parse(input.scheduledAt) > BACKFILL_LAG_MS;
      const skipped = (skip: string): MonitorRunPlan => ({
        monitorId: input.monitorId,
        brand: row?.brand ?? '',
        runId,
        batchId,
        scheduledAt: input.scheduledAt,
        backfilled,
        autoSampling: false,
        skip,
        promptSet: batchId,
        total: 0,
        budget: null,
        prices: {},
      });
      if (!row) return skipped('the monitor was deleted');
      const monitor = loadStoredMonitor(row.definition);
      if (monitor.stopAt !== undefined && Date.parse(input.scheduledAt) >= Date.parse(monitor.stopAt)) {
        return skipped(`the monitor stopped at ${monitor.stopAt}`);
      }
      const items = itemsOf(monitor, cellsOf(monitor), input.scheduledAt, runId);
      await store.writePromptSet(batchId, items);
      await monitorStore().startRun({
        runId,
        monitorId: monitor.id,
        batchId,
        scheduledAt: input.scheduledAt,
        startedAt: input.startedAt,
        backfilled,
        total: items.length,
      });
      return {
        monitorId: monitor.id,
        brand: monitor.brand.name,
        runId,
        batchId,
        scheduledAt: input.scheduledAt,
        backfilled,
        autoSampling: monitor.samples === 'auto',
        skip: null,
        promptSet: batchId,
        total: items.length,
        budget: monitor.budgetPerRun,
        prices: { ...ASYNC_CREDIT_PRICES },
      };
    },

    /**
     * `samples: auto`, after a round: the cells that still need a sample, written as the
     * prompt set of the next round (same batch id, so the run's answers stay one batch).
     */
    async planMoreSamples(input: { monitorId: string; runId: string; round: number }): Promise<{ promptSet: string; total: number }> {
      const { monitor, run, records, analyses } = await runAnswers(store, monitorStore(), input.monitorId, input.runId);
      const items = itemsOf(monitor, moreSamples(monitor, records, analyses), run.scheduledAt, run.runId);
      const promptSet = `${run.batchId}-round-${input.round}`;
      if (items.length > 0) await store.writePromptSet(promptSet, items);
      return { promptSet, total: items.length };
    },

    /** Scores the run's answers with the monitor's current definition, compares with the run before, stores both. */
    async closeMonitorRun(input: { monitorId: string; runId: string; progress: BatchProgress }): Promise<MonitorRunMetricsSummary> {
      const { problems, ...scored } = await scoreRun(store, monitorStore(), input.monitorId, input.runId);
      for (const problem of problems) log.warn('a stored answer does not parse; left out of the metrics', problem);
      await monitorStore().finishRun(input.runId, { progress: input.progress, ...scored });
      return summaryOf(scored);
    },

    /** Leaves the note where `monitor describe` and the Web UI's schedule page show it. */
    async pauseMonitor({ monitorId, note }: { monitorId: string; note: string }): Promise<void> {
      await Context.current().client.schedule.getHandle(monitorScheduleId(monitorId)).pause(note);
    },
  };
}

/** The run's cells as batch items: keys from monitor id, scheduled time, cell and sample, so a retried run never pays twice. */
function itemsOf(monitor: Monitor, cells: Cell[], scheduledAt: string, runId: string): BatchItem[] {
  return cells.map((cell) => ({
    idempotencyKey: cellKey(monitor.id, scheduledAt, cell.promptId, cell.engine, cell.country, cell.sample),
    request: { taskType: cell.engine, payload: { [cell.textField]: cell.prompt, country: cell.country }, priority: monitor.priority },
    delivery: monitor.delivery ?? 'auto',
    labels: { promptId: cell.promptId, sample: String(cell.sample) },
    monitor: { monitorId: monitor.id, runId, brand: monitor.brand.name },
  }));
}

function summaryOf({ metrics, comparison }: { metrics: RunMetrics; comparison: RunComparison | null }): MonitorRunMetricsSummary {
  const { rate, low, high } = metrics.overall.mentionRate;
  return {
    answers: metrics.overall.answers,
    mentionRate: { rate, low, high },
    significantChanges: comparison?.changes.filter((c) => c.significant).length ?? 0,
  };
}
