/**
 * What a scenario runs: a batch of distinct prompts on the stack's task queue, started the
 * way the CLI starts one, with cloro-time defaults compressed to the simulator's time scale.
 */
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { startBatch, toBatchItems } from '../../src/batches/start';
import type { PromptRequest } from '../../src/prompts/request';
import type { batchWorkflow } from '../../workflows/batch';
import type { BatchTuning, PromptPolicy, PromptTiming } from '../../workflows/definitions';
import { DEFAULT_TIME_SCALE, type FaultStack, scaledTiming } from './stack';

export interface FaultBatch {
  batchId: string;
  workflowId: string;
  keys: string[];
  handle: WorkflowHandle<typeof batchWorkflow>;
}

export interface FaultBatchOptions {
  delivery?: 'webhook' | 'poll';
  timeScale?: number;
  budget?: number;
  tuning?: Partial<BatchTuning>;
  timing?: Partial<PromptTiming>;
  policy?: Partial<PromptPolicy>;
}

export async function startFaultBatch(stack: FaultStack, n: number, options: FaultBatchOptions = {}): Promise<FaultBatch> {
  const batchId = `faults-${randomUUID().slice(0, 12)}`;
  const requests: PromptRequest[] = Array.from({ length: n }, (_, i) => ({
    taskType: 'CHATGPT',
    prompt: `Which CRM fits a team of ${i + 2}: HubSpot, Salesforce or Pipedrive?`,
    country: 'US',
    delivery: options.delivery ?? 'webhook',
  }));
  const { workflowId, handle } = await startBatch(stack.client(), {
    batchId,
    requests,
    taskQueue: stack.taskQueue,
    promptSets: stack.results,
    ...(options.budget !== undefined ? { budget: options.budget } : {}),
    tuning: { statusIntervalMs: 500, creditsIntervalMs: 1_000, ...options.tuning },
    promptTiming: { ...scaledTiming(options.timeScale ?? DEFAULT_TIME_SCALE), ...options.timing },
    ...(options.policy ? { promptPolicy: options.policy } : {}),
  });
  return { batchId, workflowId, handle, keys: toBatchItems(batchId, requests).map((item) => item.idempotencyKey) };
}

/** The batch's result as the invariant checker takes it. */
export async function finished(batch: FaultBatch) {
  return { keys: batch.keys, batch: { workflowId: batch.workflowId, progress: await batch.handle.result() } };
}
