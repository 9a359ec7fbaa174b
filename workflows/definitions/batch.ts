/**
 * The batch workflow's contract: its input and carry, the children's reports, progress and
 * cancel. Types and message definitions only.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { PromptPolicy, PromptSummary, PromptTiming, PromptWorkflowInput } from './prompt';

/** One prompt of a batch, resolved at the client edge (defaults applied, key derived with scope = batch id). */
export type BatchItem = Pick<PromptWorkflowInput, 'idempotencyKey' | 'request' | 'delivery' | 'labels' | 'monitor'>;

/**
 * Small batches carry their items; large ones name a prompt set (JSONL under the worker's
 * prompt-set directory) that an activity reads page by page, so history never holds 100k items.
 * `offset` is the byte offset of the first item not yet read.
 */
export type BatchSource = { kind: 'inline'; items: BatchItem[] } | { kind: 'promptSet'; name: string; total: number; offset: number };

/** The batch's window, reads and continue-as-new thresholds (defaults in workflows/tuning.ts). */
export interface BatchTuning {
  /** Plan concurrency to assume while cloro's status answers `concurrency: null`. */
  fallbackConcurrency: number;
  /** Most tasks we let wait in cloro's (org-wide) queue; null → max(2, 20% of concurrency.max). */
  queueBuffer: number | null;
  /** How old a status reading may get before the next submission re-reads it. */
  statusIntervalMs: number;
  /** How often GET /v1/credits is re-read while submitting. */
  creditsIntervalMs: number;
  /** Items per prompt-set page read. */
  pageSize: number;
  /** History events after which the batch continues as new (or earlier when the server suggests it). */
  eventBudget: number;
}

/** Why a batch stopped submitting before its last item. */
export type BatchStopReason = 'budget' | 'credits' | 'cancelled' | null;

export interface BatchCounters {
  completed: number;
  failed: number;
  expired: number;
  cancelled: number;
  orphaned: number;
  /** Completed and paid for at cloro, but the results store refused the answer (see PromptOutcome). */
  unstored: number;
  /** Never submitted: the budget, cloro's balance or a cancel stopped the batch first. */
  skipped: number;
  /** Includes creditsEstimated: the price of each orphaned prompt's lost task, which cloro billed. */
  creditsCharged: number;
  /** The part of creditsCharged that is estimated for orphaned prompts (0 in runs carried from before it existed). */
  creditsEstimated: number;
}

/** What `progressQuery` answers and `batchWorkflow` returns: counts by outcome, credits, window. */
export interface BatchProgress extends BatchCounters {
  batchId: string;
  total: number;
  /** Not yet submitted (and not skipped). */
  queued: number;
  /** Child workflows started and not yet finished. */
  inFlight: number;
  /** Children that ended, whatever the outcome (every counter above but skipped). */
  finished: number;
  startedAt: string;
  etaSeconds: number | null;
  stopReason: BatchStopReason;
  done: boolean;
  /** How the submission window sees cloro now (see workflows/batch-window.ts). */
  window: WindowFigures;
}

export interface WindowFigures {
  /** Plan concurrency from cloro's last status reading (or the fallback). */
  concurrencyMax: number;
  /** Most tasks the batch lets wait in cloro's queue now. */
  buffer: number;
  /** Our in-flight prompts cloro does not show as unfinished (creating, or ended and not yet reported). */
  pipeline: number;
  /** Smoothed time our side takes to turn a freed slot into a new task; null until measured. */
  roundTripMs: number | null;
}

/** What a run hands to the next one when it continues as new. */
export interface BatchCarry {
  counters: BatchCounters;
  /** Items consumed from the source (submitted or skipped). */
  cursor: number;
  /**
   * Children still running, by workflow id: their reports arrive by signal and count only
   * while their id is here, so a duplicate or stray report changes nothing.
   */
  inFlight: Record<string, InFlightPrompt>;
  startedAt: string;
  stopReason: BatchStopReason;
  runs: number;
  /** Items read from the source but not submitted yet (at most one page). */
  pending: BatchItem[];
  /** What the submission window learned about our round trips (absent from runs before it existed). */
  window?: WindowCarry;
}

export interface InFlightPrompt {
  /** Credits the prompt may cost (its task type's price), held against the budget until it reports. */
  credits: number;
  /** Workflow time the batch started it. */
  launchedAt: number;
}

/** The submission window's measurements, handed on by continue-as-new so a new run starts informed. */
export interface WindowCarry {
  /** Smoothed time from starting a child to cloro accepting its create. */
  landingMs: number | null;
  /** Smoothed time from a child learning its task ended at cloro to its report reaching the batch. */
  reportLagMs: number | null;
  /** Smoothed gap between two reports (1 / our completion rate). */
  reportIntervalMs: number | null;
  /** Smoothed count of our in-flight prompts the status readings did not show as unfinished. */
  pipelineSeen: number | null;
}

/** The input of `batchWorkflow`. */
export interface BatchWorkflowInput {
  batchId: string;
  source: BatchSource;
  total: number;
  /** Most credits the batch may spend (completed + estimated in flight); unset → no budget. */
  budget?: number | null;
  /** Estimated credits per task type (cloro's price table, held as data by the client). */
  prices: Record<string, number>;
  tuning?: Partial<BatchTuning>;
  promptTiming?: Partial<PromptTiming>;
  promptPolicy?: Partial<PromptPolicy>;
  /** Set only by continue-as-new. */
  carry?: BatchCarry;
}

/** A child prompt's report to its batch (the only path, so it survives the batch's continue-as-new). */
export interface PromptFinished {
  workflowId: string;
  summary: PromptSummary;
}
/** A child prompt's summary, sent to its batch. */
export const promptFinishedSignal = defineSignal<[PromptFinished]>('promptFinished');

/** A batch's progress so far. */
export const progressQuery = defineQuery<BatchProgress>('progress');

/** The argument of `cancelBatchUpdate`. */
export interface CancelBatchRequest {
  reason?: string;
  /**
   * Also call cloro's DELETE /v1/async/queue. That endpoint cancels every QUEUED task of the
   * whole org (other batches and interactive prompts too), so it is never implied.
   */
  clearOrgQueue?: boolean;
}
/** Stops a batch's submissions and cancels its in-flight prompts; answers the progress. */
export const cancelBatchUpdate = defineUpdate<BatchProgress, [CancelBatchRequest]>('cancelBatch');

export const BATCH_WORKFLOW_ID_PREFIX = 'cloro-batch-';
/** A batch's workflow id: `cloro-batch-<batchId>`. */
export const batchWorkflowId = (batchId: string): string => `${BATCH_WORKFLOW_ID_PREFIX}${batchId}`;
