/**
 * Everything outside a workflow body needs to talk to workflows: search-attribute keys,
 * signals, queries, updates and their payload types. The bridge, the CLI and the worker
 * import this module, never workflow bodies.
 */
// @temporalio/common is the deterministic core the workflow SDK itself is built on.
import { defineSearchAttributeKey, type SearchAttributePair, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CreateTaskRequest } from '../src/cloro/schemas';

export const CloroTaskTypeKey = defineSearchAttributeKey('CloroTaskType', SearchAttributeType.KEYWORD);
export const CloroTaskIdKey = defineSearchAttributeKey('CloroTaskId', SearchAttributeType.KEYWORD);
export const CloroStatusKey = defineSearchAttributeKey('CloroStatus', SearchAttributeType.KEYWORD);
export const CloroCountryKey = defineSearchAttributeKey('CloroCountry', SearchAttributeType.KEYWORD);
export const CloroPriorityKey = defineSearchAttributeKey('CloroPriority', SearchAttributeType.INT);
export const CloroBatchIdKey = defineSearchAttributeKey('CloroBatchId', SearchAttributeType.KEYWORD);
export const CloroBrandKey = defineSearchAttributeKey('CloroBrand', SearchAttributeType.KEYWORD);

/** Every custom search attribute the project uses; the dev-server launcher registers these. */
export const SEARCH_ATTRIBUTE_KEYS = [
  CloroTaskTypeKey,
  CloroTaskIdKey,
  CloroStatusKey,
  CloroCountryKey,
  CloroPriorityKey,
  CloroBatchIdKey,
  CloroBrandKey,
] as const;

/**
 * Failure types a Temporal retry policy must never retry. The error classes in
 * src/cloro/errors.ts decide retryability (a unit test keeps this list equal to their
 * flags); the names live here so workflow code can use them without importing Node code.
 */
export const NON_RETRYABLE_ERROR_TYPES = [
  'CloroValidationError',
  'CloroAuthError',
  'CloroInsufficientCredits',
  'CloroNotFound',
  'CloroConflict',
  'CloroProtocolError',
  'CloroError',
] as const;

/**
 * The webhook bridge's wake-up call. Carries only ids and a status: the result itself is
 * always re-read from cloro, so a forged or stale webhook body can never become a result.
 */
export interface CloroTaskFinished {
  taskId: string;
  status: 'COMPLETED' | 'FAILED';
  /** The idempotency key cloro echoed; lets a workflow that lost its create response adopt the task. */
  idempotencyKey?: string | null;
}
export const cloroTaskFinishedSignal = defineSignal<[CloroTaskFinished]>('cloroTaskFinished');

// ------------------------------------------------------------------ promptWorkflow

/** How the workflow learns that cloro finished: a webhook wake-up, polling, or webhook when a bridge is configured. */
export type Delivery = 'webhook' | 'poll' | 'auto';

/** What cloro is asked: the create body without the two fields the workflow owns (key and webhook). */
export type PromptTaskRequest = Omit<CreateTaskRequest, 'idempotencyKey' | 'webhook'> & { priority: number };

export interface PromptTiming {
  /** Poll mode: first wait, growth factor and cap (cloro's SDK poller starts at 2 s). */
  pollInitialMs: number;
  pollFactor: number;
  pollMaxMs: number;
  /** Webhook mode: safety-net poll in case every webhook attempt is lost; grows by pollFactor. */
  safetyPollMs: number;
  safetyPollMaxMs: number;
  /** Give up as EXPIRED before cloro purges the task (24 h after it finishes). */
  deadlineMs: number;
  /** After a 409 with a webhook, how long to wait for the webhook that names our key. */
  orphanWaitMs: number;
}

export interface PromptPolicy {
  /** Resubmissions (new derived key) of a task cloro marked FAILED with a transient code. */
  maxFailedResubmits: number;
  /**
   * Resubmissions after a create whose response was lost (409) and whose task cannot be
   * found. Each one may pay twice if the lost task also ran, so the default is 0.
   */
  maxOrphanResubmits: number;
}

export interface PromptWorkflowInput {
  /** The workflow id is `cloro-prompt-<idempotencyKey>`; cloro gets the same key (plus `-rN` on a resubmission). */
  idempotencyKey: string;
  request: PromptTaskRequest;
  delivery: Delivery;
  batchId?: string;
  /** Workflow id of the batch to signal with the summary (by id, not run: it reaches the batch after its continue-as-new). */
  reportTo?: string;
  labels?: Record<string, string>;
  timing?: Partial<PromptTiming>;
  policy?: Partial<PromptPolicy>;
}

export type PromptOutcome = 'COMPLETED' | 'FAILED' | 'EXPIRED' | 'CANCELLED' | 'ORPHANED';

/** What a prompt workflow returns: small enough for history; the full answer lives in the results store. */
export interface PromptSummary {
  idempotencyKey: string;
  taskId: string | null;
  status: PromptOutcome;
  creditsCharged: number;
  model: string | null;
  textLength: number;
  sourcesCount: number;
  /** cloro tasks created for this prompt (1 unless a FAILED or orphaned task was resubmitted). */
  attempts: number;
  orphaned: number;
  resultRef: string | null;
  error: { code: string; message: string } | null;
  /** When cloro accepted the create this outcome belongs to, as the workflow saw it; null if none did. */
  createdAt?: string | null;
  /** When the workflow learned the task had ended at cloro (its webhook, or the read that found it); null if it never did. */
  finishedAt?: string | null;
}

/** The summary of a prompt that ended without a cloro outcome (its workflow failed). */
export function failedPromptSummary(idempotencyKey: string, error: { code: string; message: string }): PromptSummary {
  return {
    idempotencyKey,
    taskId: null,
    status: 'FAILED',
    creditsCharged: 0,
    model: null,
    textLength: 0,
    sourcesCount: 0,
    attempts: 0,
    orphaned: 0,
    resultRef: null,
    error,
  };
}

export type PromptPhase = 'creating' | 'waiting' | 'fetching' | 'done';

export interface PromptStatus {
  phase: PromptPhase;
  taskId: string | null;
  cloroStatus: string | null;
  delivery: 'webhook' | 'poll' | null;
  attempts: number;
  polls: number;
  notifications: number;
  lastError: string | null;
  nextPollAt: string | null;
}

export const statusQuery = defineQuery<PromptStatus>('status');
/** Stops waiting and records CANCELLED. A task already queued at cloro may still run and be billed. */
export const cancelUpdate = defineUpdate<PromptStatus, [reason: string]>('cancel');

export const PROMPT_WORKFLOW_ID_PREFIX = 'cloro-prompt-';
export const promptWorkflowId = (idempotencyKey: string): string => `${PROMPT_WORKFLOW_ID_PREFIX}${idempotencyKey}`;

/** cloro priority 1–10 (higher runs first) → Temporal priority key 1–5 (lower runs first). */
export function temporalPriorityKey(cloroPriority: number): number {
  return Math.ceil((11 - cloroPriority) / 2);
}

/** "CHATGPT · US · What do you know about Acme…" — the line the Web UI shows for a prompt. */
export function promptSummaryLine(input: PromptWorkflowInput): string {
  const text = input.request.payload.prompt ?? input.request.payload.query ?? '';
  const head = text.length > 60 ? `${text.slice(0, 59)}…` : text;
  return `${input.request.taskType} · ${input.request.payload.country} · ${head}`;
}

/** A prompt workflow's search attributes at start: what the Web UI filters on. */
export function promptSearchAttributes(input: PromptWorkflowInput) {
  return [
    { key: CloroTaskTypeKey, value: input.request.taskType },
    { key: CloroCountryKey, value: input.request.payload.country },
    { key: CloroPriorityKey, value: input.request.priority },
    { key: CloroStatusKey, value: 'SUBMITTING' },
    ...(input.batchId ? [{ key: CloroBatchIdKey, value: input.batchId }] : []),
  ] satisfies SearchAttributePair[];
}

/**
 * Activities that call cloro run on their own task queue, whose server-side rate limit
 * (`maxTaskQueueActivitiesPerSecond`) keeps every worker together under cloro's request rate.
 */
export const apiTaskQueue = (taskQueue: string): string => `${taskQueue}-api`;

// ------------------------------------------------------------------ batchWorkflow

/** One prompt of a batch, resolved at the client edge (defaults applied, key derived with scope = batch id). */
export type BatchItem = Pick<PromptWorkflowInput, 'idempotencyKey' | 'request' | 'delivery' | 'labels'>;

/**
 * Small batches carry their items; large ones name a prompt set (JSONL under the worker's
 * prompt-set directory) that an activity reads page by page, so history never holds 100k items.
 * `offset` is the byte offset of the first item not yet read.
 */
export type BatchSource =
  | { kind: 'inline'; items: BatchItem[] }
  | { kind: 'promptSet'; name: string; total: number; offset: number };

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
  /** Never submitted: the budget, cloro's balance or a cancel stopped the batch first. */
  skipped: number;
  creditsCharged: number;
}

export interface BatchProgress extends BatchCounters {
  batchId: string;
  total: number;
  /** Not yet submitted (and not skipped). */
  queued: number;
  /** Child workflows started and not yet finished. */
  inFlight: number;
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
export const promptFinishedSignal = defineSignal<[PromptFinished]>('promptFinished');

export const progressQuery = defineQuery<BatchProgress>('progress');

export interface CancelBatchRequest {
  reason?: string;
  /**
   * Also call cloro's DELETE /v1/async/queue. That endpoint cancels every QUEUED task of the
   * whole org (other batches and interactive prompts too), so it is never implied.
   */
  clearOrgQueue?: boolean;
}
export const cancelBatchUpdate = defineUpdate<BatchProgress, [CancelBatchRequest]>('cancelBatch');

export const BATCH_WORKFLOW_ID_PREFIX = 'cloro-batch-';
export const batchWorkflowId = (batchId: string): string => `${BATCH_WORKFLOW_ID_PREFIX}${batchId}`;
