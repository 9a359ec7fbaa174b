/**
 * Everything outside a workflow body needs to talk to workflows: search-attribute keys,
 * signals, queries, updates and their payload types. The bridge, the CLI and the worker
 * import this module, never workflow bodies.
 */
// @temporalio/common is the deterministic core the workflow SDK itself is built on.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
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

export const DEFAULT_PROMPT_TIMING: PromptTiming = {
  pollInitialMs: 2_000,
  pollFactor: 1.5,
  pollMaxMs: 60_000,
  safetyPollMs: 3 * 60_000,
  safetyPollMaxMs: 20 * 60_000,
  deadlineMs: 23 * 3_600_000,
  orphanWaitMs: 35 * 60_000,
};

export const DEFAULT_PROMPT_POLICY: PromptPolicy = { maxFailedResubmits: 1, maxOrphanResubmits: 0 };

export interface PromptWorkflowInput {
  /** The workflow id is `cloro-prompt-<idempotencyKey>`; cloro gets the same key (plus `-rN` on a resubmission). */
  idempotencyKey: string;
  request: PromptTaskRequest;
  delivery: Delivery;
  batchId?: string;
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
