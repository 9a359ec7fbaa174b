import { type Client, WorkflowExecutionAlreadyStartedError, type WorkflowHandle } from '@temporalio/client';
import { ASYNC_CREDIT_PRICES } from '../cloro/prices';
import { promptWorkflowId, type PromptWorkflowInput } from '../../workflows/definitions';
import type { promptWorkflow } from '../../workflows/prompt';
import { promptDetailsText } from './request';
import { promptSearchAttributes, promptSummaryLine, temporalPriorityKey } from './start-options';

/** A started (or found) prompt: its workflow id and a typed handle. */
export interface StartedPrompt {
  workflowId: string;
  handle: WorkflowHandle<typeof promptWorkflow>;
  /** True when this key already had a workflow (running or finished): nothing new was started. */
  existing: boolean;
}

/**
 * Starts the prompt's workflow, or returns the one already there, running or finished, so
 * the same prompt is never paid for twice by starting it twice. The conflict policy stays
 * FAIL (not USE_EXISTING) on purpose: the resulting "already started" error is how we know
 * the execution was not ours, and REJECT_DUPLICATE extends that to closed executions.
 */
export async function startPrompt(client: Client, input: PromptWorkflowInput, taskQueue: string): Promise<StartedPrompt> {
  const workflowId = promptWorkflowId(input.idempotencyKey);
  try {
    const handle = await client.workflow.start<typeof promptWorkflow>('promptWorkflow', {
      workflowId,
      taskQueue,
      // The price travels as data, so an orphaned prompt can report what cloro charged for its lost task.
      args: [{ creditsEstimate: ASYNC_CREDIT_PRICES[input.request.taskType], ...input }],
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      staticSummary: promptSummaryLine(input),
      staticDetails: promptDetailsText(input),
      priority: { priorityKey: temporalPriorityKey(input.request.priority) },
      typedSearchAttributes: promptSearchAttributes(input),
    });
    return { workflowId, handle, existing: false };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      return { workflowId, handle: client.workflow.getHandle<typeof promptWorkflow>(workflowId), existing: true };
    }
    throw err;
  }
}
