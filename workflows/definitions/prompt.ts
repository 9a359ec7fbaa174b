/**
 * The prompt workflow's contract: its input, summary and status, the bridge's wake-up signal,
 * the cancel update and the workflow id. Types, literals and message definitions only.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CreateTaskRequest } from '../../src/cloro/schemas';

/**
 * The webhook bridge's wake-up call. Carries only ids and a status: the result itself is
 * always re-read from cloro, so a forged or stale webhook body can never become a result.
 */
export interface CloroTaskFinished {
  taskId: string;
  /** COMPLETED or FAILED, or a status cloro added that reads as ended (CANCELLED, EXPIRED, …). */
  status: string;
  /** The idempotency key cloro echoed; lets a workflow that lost its create response adopt the task. */
  idempotencyKey?: string | null;
}
/** The bridge's signal to a prompt workflow: its task ended at cloro. */
export const cloroTaskFinishedSignal = defineSignal<[CloroTaskFinished]>('cloroTaskFinished');
/** Longest task id or idempotency key the bridge passes on and the workflow accepts (cloro's own key limit). */
export const MAX_ID_LENGTH = 256;

/** How the workflow learns that cloro finished: a webhook wake-up, polling, or webhook when a bridge is configured. */
export const DELIVERIES = ['webhook', 'poll', 'auto'] as const;
/** One of DELIVERIES. */
export type Delivery = (typeof DELIVERIES)[number];

/** What cloro is asked: the create body without the two fields the workflow owns (key and webhook). */
export type PromptTaskRequest = Omit<CreateTaskRequest, 'idempotencyKey' | 'webhook'> & { priority: number };

/** The prompt workflow's waits and deadlines (defaults in workflows/tuning.ts). */
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
  /**
   * How long after the task ended we keep retrying a failed results-store write before the
   * prompt ends UNSTORED. cloro deletes a task 24 h after it finished, so this stays below that.
   */
  storeHorizonMs: number;
}

/** When the prompt workflow submits a task again. */
export interface PromptPolicy {
  /** Resubmissions (new derived key) of a task cloro marked FAILED with a transient code. */
  maxFailedResubmits: number;
  /**
   * Resubmissions after a create whose response was lost (409) and whose task cannot be
   * found. Each one may pay twice if the lost task also ran, so the default is 0.
   */
  maxOrphanResubmits: number;
}

/** The monitor run a prompt belongs to: stored with its answer, shown in the Web UI. */
export interface MonitorRef {
  monitorId: string;
  runId: string;
  brand: string;
}

/** The input of `promptWorkflow`. */
export interface PromptWorkflowInput {
  /** The workflow id is `cloro-prompt-<idempotencyKey>`; cloro gets the same key (plus `-rN` on a resubmission). */
  idempotencyKey: string;
  request: PromptTaskRequest;
  delivery: Delivery;
  batchId?: string;
  /** Workflow id of the batch to signal with the summary (by id, not run: it reaches the batch after its continue-as-new). */
  reportTo?: string;
  labels?: Record<string, string>;
  monitor?: MonitorRef;
  timing?: Partial<PromptTiming>;
  policy?: Partial<PromptPolicy>;
  /**
   * What cloro charges for one task of this prompt (its price table, passed as data): cloro
   * bills a task whose create answer was lost, so an ORPHANED prompt reports this as estimated.
   */
  creditsEstimate?: number;
}

/**
 * UNSTORED: cloro completed (and charged for) the task, but the results store refused the
 * answer until `storeHorizonMs`; the summary's error says where the answer can still be read.
 */
export type PromptOutcome = 'COMPLETED' | 'FAILED' | 'EXPIRED' | 'CANCELLED' | 'ORPHANED' | 'UNSTORED';

/** What a prompt workflow returns: small enough for history; the full answer lives in the results store. */
export interface PromptSummary {
  idempotencyKey: string;
  taskId: string | null;
  status: PromptOutcome;
  creditsCharged: number;
  /** creditsCharged is an estimate (the price of a task whose id was lost), not what cloro reported. */
  creditsEstimated?: boolean;
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

export type PromptPhase = 'creating' | 'waiting' | 'fetching' | 'done';

/** What `statusQuery` answers: the prompt's phase, task and polling so far. */
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

/** A running prompt's status. */
export const statusQuery = defineQuery<PromptStatus>('status');
/** Stops waiting and records CANCELLED. A task already queued at cloro may still run and be billed. */
export const cancelUpdate = defineUpdate<PromptStatus, [reason: string]>('cancel');

export const PROMPT_WORKFLOW_ID_PREFIX = 'cloro-prompt-';
/** A prompt's workflow id: `cloro-prompt-<idempotencyKey>`. */
export const promptWorkflowId = (idempotencyKey: string): string => `${PROMPT_WORKFLOW_ID_PREFIX}${idempotencyKey}`;
