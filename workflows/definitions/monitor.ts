/**
 * The brand monitor's contract: a Temporal Schedule per monitor starts monitorRunWorkflow,
 * which runs the monitor's prompt × engine × country × sample cells as a batch, then scores
 * the answers. Types, ids and message definitions only.
 */
import { defineQuery } from '@temporalio/workflow';
import type { BatchProgress } from './batch';

/** What the schedule passes to every run: the monitor's id only, so `monitor update` needs no new schedule action. */
export interface MonitorRunInput {
  monitorId: string;
}

/** What the prepare activity decided for one run (small: the cells themselves go to a prompt set). */
export interface MonitorRunPlan {
  monitorId: string;
  brand: string;
  /** `<monitorId>@<scheduled time>`: the same scheduled time is the same run, and the same keys. */
  runId: string;
  /** The batch that runs the cells: its id derives from the run's, so a retried run attaches to it. */
  batchId: string;
  scheduledAt: string;
  /** Started well after it was due (a backfill, or a catch-up after an outage). */
  backfilled: boolean;
  /** `samples: auto`: after each round, cells whose interval is still too wide get another sample. */
  autoSampling: boolean;
  /** Nothing to run, and why: the monitor was deleted or is past its `stopAt`. */
  skip: string | null;
  /** The first round's cells, stored as the prompt set `promptSet`. */
  promptSet: string;
  total: number;
  budget: number | null;
  prices: Record<string, number>;
}

export interface MonitorRunMetricsSummary {
  answers: number;
  /** The brand's overall mention rate and its Wilson 95 % interval (null: no analysable answer). */
  mentionRate: { rate: number | null; low: number | null; high: number | null };
  /** Changes against the previous run that a two-proportion test calls real. */
  significantChanges: number;
}

export type MonitorRunPhase = 'preparing' | 'running' | 'analysing' | 'done';

export interface MonitorRunSummary {
  monitorId: string;
  runId: string;
  scheduledAt: string;
  backfilled: boolean;
  skipped: string | null;
  batch: BatchProgress | null;
  metrics: MonitorRunMetricsSummary | null;
  /** Set when this run paused the monitor's schedule (credits or budget ran out), with the note it left. */
  paused: string | null;
}

export const monitorRunQuery = defineQuery<{ phase: MonitorRunPhase; plan: MonitorRunPlan | null }>('monitorRun');

export const MONITOR_SCHEDULE_ID_PREFIX = 'cloro-monitor-';
export const monitorScheduleId = (monitorId: string): string => `${MONITOR_SCHEDULE_ID_PREFIX}${monitorId}`;
/** The schedule appends the scheduled time to this for each run's workflow id. */
export const monitorRunWorkflowIdBase = (monitorId: string): string => `cloro-monitor-run-${monitorId}`;
