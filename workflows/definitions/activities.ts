/**
 * What the workflows hand their activities and get back: the activities implement these
 * shapes, the workflows read them, and neither imports the other for it.
 */
import type { Delivery, MonitorRef, PromptSummary, PromptTaskRequest } from './prompt';
import type { BatchItem, BatchProgress } from './batch';

export interface CreateTaskInput {
  workflowId: string;
  idempotencyKey: string;
  request: PromptTaskRequest;
  delivery: Delivery;
  batchId: string | null;
  labels: Record<string, string>;
  /** Absent in histories recorded before monitors existed. */
  monitor?: MonitorRef;
}

export type CreateTaskOutcome =
  | { kind: 'created'; taskId: string; webhook: boolean; creditsToCharge: number }
  /** 409: the key was used before — usually our own attempt whose response was lost. */
  | { kind: 'conflict'; webhook: boolean; adoptedTaskId: string | null };

export interface FetchTaskInput {
  workflowId: string;
  taskId: string;
  /** Set when the task id came from a webhook after a lost create: the task must carry this key to be ours. */
  expectedKey?: string;
}

export type FetchTaskOutcome =
  /** `cloroStatus`: a status cloro added that this client does not know, read as not finished (absent in older histories). */
  | { status: 'QUEUED' | 'PROCESSING'; cloroStatus?: string }
  | ({ status: 'COMPLETED'; creditsCharged: number; model: string | null; textLength: number; sourcesCount: number } & Persisted)
  | ({ status: 'FAILED'; error: { code: string; message: string }; transient: boolean } & Persisted)
  /** The task cloro returned does not carry `expectedKey`: not ours, nothing read or stored. */
  | { status: 'NOT_OURS'; idempotencyKey: string | null };

/**
 * Where a terminal task's answer went. A store that fails after cloro finished (and charged)
 * must not look like a cloro outage: the fetch still reports the outcome, with the write's
 * error, and the workflow retries the write on its own (`storeAnswer`).
 */
export type Persisted = { resultRef: string; storeError?: undefined } | { resultRef: null; storeError: string };

/** Re-reads a terminal task from cloro and writes its answer: the retried half of a fetch whose write failed. */
export interface StoreAnswerInput {
  workflowId: string;
  taskId: string;
}

/** cloro's org-wide queue as `GET /v1/async/status` shows it. */
export interface QueueReading {
  queuedTasks: number;
  processingTasks: number;
  /** null while cloro reports `concurrency: null` (maintenance): the workflow uses its fallback. */
  concurrencyMax: number | null;
}

export interface PromptSetPageRequest {
  name: string;
  offset: number;
  limit: number;
}

export interface PromptSetPage {
  items: BatchItem[];
  /** Byte offset of the first line after this page. */
  nextOffset: number;
}

/**
 * What became of a prompt whose workflow id was taken: running for this batch (it reports by
 * itself), running for another batch or an interactive submit (it reports there), or closed.
 */
export type ExistingPrompt =
  { state: 'running' } | { state: 'elsewhere'; owner: string | null } | { state: 'closed'; summary: PromptSummary | null };

/** What became of a batch whose workflow id was taken: still running, or closed with its final progress (null: it failed). */
export type ExistingBatch = { state: 'running' } | { state: 'closed'; progress: BatchProgress | null };

/**
 * Activities that call cloro run on their own task queue, whose server-side rate limit
 * (`maxTaskQueueActivitiesPerSecond`) keeps every worker together under cloro's request rate.
 */
export const apiTaskQueue = (taskQueue: string): string => `${taskQueue}-api`;
