/**
 * Client edge of a batch: resolve validated requests into items (keys derived with the
 * batch id as scope), store a large list as a prompt set in the results database, and
 * start the batch workflow —
 * or return the one already running under that batch id.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { ASYNC_CREDIT_PRICES } from '../cloro/prices';
import { type PromptRequest, toWorkflowInput } from '../prompts/request';
import {
  type BatchItem,
  type BatchSource,
  type BatchTuning,
  batchWorkflowId,
  type BatchWorkflowInput,
  CloroBatchIdKey,
  CloroStatusKey,
  type PromptPolicy,
  type PromptTiming,
} from '../../workflows/definitions';
import type { batchWorkflow } from '../../workflows/batch';
import type { PromptSetStore } from '../store/record';
import { PromptSetNameSchema } from './prompt-set';
import { batchKeyScope } from './rows';

/** Up to this many items travel in the workflow input; more are stored as a prompt set. */
export const DEFAULT_INLINE_LIMIT = 200;

export const BatchIdSchema = PromptSetNameSchema;

/** Options of `startBatch`: the prompts, the task queue, where large sets go, a budget and tuning. */
export interface StartBatchOptions {
  batchId: string;
  requests: PromptRequest[];
  taskQueue: string;
  /** Where a large batch's items go: the results database the workers read too. */
  promptSets: Pick<PromptSetStore, 'writePromptSet'>;
  budget?: number | null;
  inlineLimit?: number;
  tuning?: Partial<BatchTuning>;
  promptTiming?: Partial<PromptTiming>;
  promptPolicy?: Partial<PromptPolicy>;
}

/** A started batch: its workflow id, a typed handle and whether its items travel inline or as a stored prompt set. */
export interface StartedBatch {
  workflowId: string;
  handle: WorkflowHandle<typeof batchWorkflow>;
  source: BatchSource['kind'];
}

export function toBatchItems(batchId: string, requests: PromptRequest[]): BatchItem[] {
  return requests.map((request) => {
    const { idempotencyKey, request: task, delivery, labels } = toWorkflowInput(request, batchKeyScope(batchId));
    return { idempotencyKey, request: task, delivery, ...(labels ? { labels } : {}) };
  });
}

/** Validates the prompts, derives their keys from the batch id, and starts the batch (a running one with the same id is attached to). */
export async function startBatch(client: Client, options: StartBatchOptions): Promise<StartedBatch> {
  const batchId = BatchIdSchema.parse(options.batchId);
  const items = toBatchItems(batchId, options.requests);
  const source: BatchSource =
    items.length > (options.inlineLimit ?? DEFAULT_INLINE_LIMIT)
      ? (await options.promptSets.writePromptSet(batchId, items), { kind: 'promptSet', name: batchId, total: items.length, offset: 0 })
      : { kind: 'inline', items };
  const input: BatchWorkflowInput = {
    batchId,
    source,
    total: items.length,
    budget: options.budget ?? null,
    prices: { ...ASYNC_CREDIT_PRICES },
    ...(options.tuning ? { tuning: options.tuning } : {}),
    ...(options.promptTiming ? { promptTiming: options.promptTiming } : {}),
    ...(options.promptPolicy ? { promptPolicy: options.promptPolicy } : {}),
  };
  const workflowId = batchWorkflowId(batchId);
  // USE_EXISTING: a second start of a running batch attaches to it. A closed batch may run
  // again: its prompts' ids are taken, so the re-run only collects their outcomes.
  const handle = await client.workflow.start<typeof batchWorkflow>('batchWorkflow', {
    workflowId,
    taskQueue: options.taskQueue,
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    staticSummary: `batch ${batchId} · ${items.length} prompts`,
    typedSearchAttributes: [
      { key: CloroBatchIdKey, value: batchId },
      { key: CloroStatusKey, value: 'RUNNING' },
    ],
  });
  return { workflowId, handle, source: source.kind };
}

/** Accepts a batch id or the workflow id the CLI printed. */
export function batchHandle(client: Client, idOrWorkflowId: string): WorkflowHandle<typeof batchWorkflow> {
  const workflowId = idOrWorkflowId.startsWith(batchWorkflowId('')) ? idOrWorkflowId : batchWorkflowId(idOrWorkflowId);
  return client.workflow.getHandle<typeof batchWorkflow>(workflowId);
}
