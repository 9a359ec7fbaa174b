/**
 * cloro from inside a user's own workflow: `cloroPrompt` and `cloroBatch` run the prompt or
 * batch workflow as a child and return its typed summary. Workflow code (the user's bundle
 * loads it), so it imports only the SDK, the definitions and pure modules.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ApplicationFailure, executeChild, ParentClosePolicy, sleep, uuid4 } from '@temporalio/workflow';
import { ASYNC_CREDIT_PRICES } from '../src/cloro/prices';
import type { Include, TaskType } from '../src/cloro/schemas';
import { IDEMPOTENCY_KEY_PATTERN, IDEMPOTENCY_KEY_RULE, promptTextField } from '../src/cloro/task-rules';
import { promptSearchAttributes, promptSummaryLine, temporalPriorityKey } from '../src/prompts/start-options';
import type { batchWorkflow } from './batch';
import {
  batchWorkflowId,
  type BatchItem,
  type BatchProgress,
  type BatchTuning,
  CloroBatchIdKey,
  CloroStatusKey,
  type Delivery,
  type PromptPolicy,
  promptWorkflowId,
  type PromptSummary,
  type PromptTiming,
  type PromptWorkflowInput,
} from './definitions';
import type { promptWorkflow } from './prompt';
import { existingRuns } from './retry-policies';

/** The task queue a dedicated cloro worker polls (the CLI's `CLORO_TASK_QUEUE` default). */
export const DEFAULT_CLORO_TASK_QUEUE = 'cloro';

/** One prompt as a workflow asks it. */
export interface CloroPromptRequest {
  /** The engine: CHATGPT, PERPLEXITY, GEMINI, GOOGLE, … */
  taskType: TaskType;
  /** The prompt text (sent as `query` for search engines). */
  prompt: string;
  /** ISO 3166-1 alpha-2 country; default US. */
  country?: string;
  /** Extra parts of the answer cloro should return (markdown, html, …). */
  include?: Include;
  /** cloro priority 1–10, higher runs first; default 1. Also sets the child's Temporal priority. */
  priority?: number;
  /**
   * Makes the prompt exactly-once across runs: the child's workflow id is `cloro-prompt-<key>`
   * and cloro gets the same key; a call whose key already has a prompt (an earlier run of your
   * workflow, a retry, another caller) returns that prompt's summary, waiting for it if it still
   * runs, instead of paying again. Without one, a key is drawn with the workflow's seeded
   * `uuid4()` (stable on replay, like the SDK's own child ids), so a new run of your workflow
   * asks again. Use a key from your business ids when that matters.
   */
  idempotencyKey?: string;
  /** How the prompt learns cloro finished; default `auto` (webhook when the worker knows a bridge). */
  delivery?: Delivery;
  /** Stored with the answer. */
  labels?: Record<string, string>;
}

/** Where and how the child runs. */
export interface CloroChildOptions {
  /** Queue of the worker that runs cloro's workflows; default `cloro` (set-up b: your own queue). */
  taskQueue?: string;
}

/** Options of {@link cloroPrompt}. */
export interface CloroPromptOptions extends CloroPromptRequest, CloroChildOptions {
  /** Overrides of the prompt's replay-sensitive timing (polls, deadlines). */
  timing?: Partial<PromptTiming>;
  /** Overrides of the resubmission policy. */
  policy?: Partial<PromptPolicy>;
}

/** Options of {@link cloroBatch}. */
export interface CloroBatchOptions extends CloroChildOptions {
  /** The prompts; each becomes one child prompt workflow of the batch. Up to a few hundred: they travel in the input. */
  prompts: CloroPromptRequest[];
  /**
   * Names the batch (workflow id `cloro-batch-<batchId>`) and scopes its prompts' keys
   * (`<batchId>.<n>` unless a prompt has its own), so a re-run never pays twice; a call while
   * a batch with this id still runs waits for it and returns its progress. Default: a seeded `uuid4()`.
   */
  batchId?: string;
  /** Most credits the batch may spend; default no budget. */
  budget?: number;
  /** Overrides of the batch's window and continue-as-new tuning. */
  tuning?: Partial<BatchTuning>;
}

/**
 * Asks cloro one prompt from inside a workflow and returns its summary once the answer is
 * stored (the full answer is in the results store under `resultRef`; history stays small).
 * Runs `promptWorkflow` as a child with id `cloro-prompt-<idempotencyKey>`, the cloro priority
 * mapped to Temporal's, the prompt's search attributes, and parent-close policy ABANDON: a
 * prompt at cloro is paid for, so closing your workflow lets it finish and store its answer,
 * while cancelling your workflow still cancels it.
 */
export async function cloroPrompt(options: CloroPromptOptions): Promise<PromptSummary> {
  const input = promptInput(options, options.idempotencyKey ?? `${options.taskType.toLowerCase()}-${uuid4()}`);
  const workflowId = promptWorkflowId(input.idempotencyKey);
  const taskQueue = options.taskQueue ?? DEFAULT_CLORO_TASK_QUEUE;
  try {
    return await executeChild<typeof promptWorkflow>('promptWorkflow', {
      workflowId,
      taskQueue,
      args: [input],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      priority: { priorityKey: temporalPriorityKey(input.request.priority) },
      staticSummary: promptSummaryLine(input),
      typedSearchAttributes: promptSearchAttributes(input),
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    return existingSummary(workflowId, taskQueue);
  }
}

/** Longest wait between two looks at a prompt or batch another execution runs: they take seconds to hours. */
const EXISTING_POLL_MAX_MS = 60_000;

/** The summary of the prompt already holding this id, once it has closed. */
async function existingSummary(workflowId: string, taskQueue: string): Promise<PromptSummary> {
  const { findExistingPrompt } = existingRuns(taskQueue);
  const look = async () => {
    const existing = await findExistingPrompt({ workflowId, batchId: '' });
    return existing.state === 'closed' ? existing.summary : undefined;
  };
  return onceClosed(look, `the prompt workflow ${workflowId} with this key failed`, 'CloroPromptFailed');
}

/** The final progress of the batch already running under this id, once it has closed. */
async function existingProgress(workflowId: string, taskQueue: string): Promise<BatchProgress> {
  const { findExistingBatch } = existingRuns(taskQueue);
  const look = async () => {
    const existing = await findExistingBatch({ workflowId });
    return existing.state === 'closed' ? existing.progress : undefined;
  };
  return onceClosed(look, `the batch workflow ${workflowId} with this batch id failed`, 'CloroBatchFailed');
}

/**
 * Looks (through an activity: a workflow cannot await another's result) until `look` finds
 * the execution closed, more rarely the longer it waits, and returns its result. `look` answers
 * undefined while it runs and null when it closed without a result, which fails the caller.
 */
async function onceClosed<T>(look: () => Promise<T | null | undefined>, failedMessage: string, failedType: string): Promise<T> {
  for (let waitMs = 1_000; ; waitMs = Math.min(waitMs * 2, EXISTING_POLL_MAX_MS)) {
    const result = await look();
    if (result === null) throw ApplicationFailure.nonRetryable(failedMessage, failedType);
    if (result !== undefined) return result;
    await sleep(waitMs);
  }
}

/**
 * Runs many prompts as one `batchWorkflow` child (cloro's plan concurrency held by its window,
 * credits by `budget`) and returns its final progress: counts by outcome and credits. ABANDON
 * for the same reason as {@link cloroPrompt}; the batch's own prompts are abandoned by it too.
 * When another execution (an earlier run of your workflow, another caller) already runs a batch
 * under this `batchId`, waits for that one and returns its progress instead of failing.
 */
export async function cloroBatch(options: CloroBatchOptions): Promise<BatchProgress> {
  const batchId = options.batchId ?? uuid4();
  const items: BatchItem[] = options.prompts.map((prompt, n) => {
    const { idempotencyKey, request, delivery, labels } = promptInput(prompt, prompt.idempotencyKey ?? `${batchId}.${n}`);
    return { idempotencyKey, request, delivery, ...(labels ? { labels } : {}) };
  });
  const workflowId = batchWorkflowId(batchId);
  const taskQueue = options.taskQueue ?? DEFAULT_CLORO_TASK_QUEUE;
  try {
    return await executeChild<typeof batchWorkflow>('batchWorkflow', {
      workflowId,
      taskQueue,
      args: [
        {
          batchId,
          source: { kind: 'inline', items },
          total: items.length,
          budget: options.budget ?? null,
          prices: { ...ASYNC_CREDIT_PRICES },
          ...(options.tuning ? { tuning: options.tuning } : {}),
        },
      ],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      staticSummary: `batch ${batchId} · ${items.length} prompts`,
      typedSearchAttributes: [
        { key: CloroBatchIdKey, value: batchId },
        { key: CloroStatusKey, value: 'RUNNING' },
      ],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    return existingProgress(workflowId, taskQueue);
  }
}

/**
 * The prompt workflow's input, checked the way the client edge checks it; a bad request is
 * the caller's bug, so it fails the calling workflow instead of retrying its task forever.
 */
export function promptInput(request: CloroPromptRequest & Pick<CloroPromptOptions, 'timing' | 'policy'>, key: string): PromptWorkflowInput {
  const country = request.country ?? 'US';
  const priority = request.priority ?? 1;
  const problem = !IDEMPOTENCY_KEY_PATTERN.test(key)
    ? `idempotencyKey "${key}" ${IDEMPOTENCY_KEY_RULE}`
    : !/^[A-Z]{2}$/.test(country)
      ? `country "${country}" must be an ISO 3166-1 alpha-2 code such as US`
      : !Number.isInteger(priority) || priority < 1 || priority > 10
        ? `priority ${priority} must be an integer from 1 to 10`
        : request.prompt.length === 0
          ? 'prompt must not be empty'
          : null;
  if (problem) throw ApplicationFailure.nonRetryable(problem, 'CloroInvalidPrompt');
  const textField = promptTextField(request.taskType);
  return {
    idempotencyKey: key,
    request: {
      taskType: request.taskType,
      payload: { [textField]: request.prompt, country, ...(request.include ? { include: request.include } : {}) },
      priority,
    },
    delivery: request.delivery ?? 'auto',
    creditsEstimate: ASYNC_CREDIT_PRICES[request.taskType],
    ...(request.labels ? { labels: request.labels } : {}),
    ...(request.timing ? { timing: request.timing } : {}),
    ...(request.policy ? { policy: request.policy } : {}),
  };
}
