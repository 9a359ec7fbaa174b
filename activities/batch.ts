/**
 * What the batch workflow needs from the outside: cloro's org-wide queue and balance (on
 * the rate-limited API queue, like every cloro call), prompt-set pages, and what became of
 * a prompt an earlier run of the same batch already started.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowFailedError } from '@temporalio/client';
import { toApplicationFailure } from '../src/cloro/errors';
import { StoredRowError } from '../src/store/rows';
import type { ActivityDeps } from './deps';
import {
  type BatchProgress,
  CloroBatchIdKey,
  type ExistingBatch,
  type ExistingPrompt,
  type PromptSetPage,
  type PromptSetPageRequest,
  type PromptSummary,
  type QueueReading,
} from '../workflows/definitions';

/** One cloro call with the activity's cancellation; a cancelled call's abort passes through untouched. */
async function callCloro<T>(call: (opts: { signal: AbortSignal }) => Promise<T>): Promise<T> {
  const { cancellationSignal: signal } = Context.current();
  try {
    return await call({ signal });
  } catch (err) {
    throw signal.aborted ? err : toApplicationFailure(err);
  }
}

export function createBatchActivities({ cloro, store }: ActivityDeps) {
  return {
    async readQueueStatus(): Promise<QueueReading> {
      const status = await callCloro((opts) => cloro.getStatus(opts));
      return { queuedTasks: status.queuedTasks, processingTasks: status.processingTasks, concurrencyMax: status.concurrency?.max ?? null };
    },

    async readCredits(): Promise<{ remaining: number }> {
      const balance = await callCloro((opts) => cloro.getCredits(opts));
      return { remaining: balance.remaining };
    },

    /** DELETE /v1/async/queue: every QUEUED task of the org, not only this batch's. */
    async clearOrgQueue(): Promise<{ cleared: number }> {
      const answer = await callCloro((opts) => cloro.cancelQueued(opts));
      return { cleared: answer.cleared };
    },

    /** From the results database: `offset` is the ordinal of the page's first item. */
    async readPromptSetPage(input: PromptSetPageRequest): Promise<PromptSetPage> {
      try {
        return await store.readPromptSetPage(input.name, input.offset, input.limit);
      } catch (err) {
        // A stored item that does not parse stays that way: retrying cannot help.
        if (err instanceof StoredRowError) throw ApplicationFailure.nonRetryable(err.message, err.name);
        throw err;
      }
    },

    /**
     * A re-run of a batch finds its prompts' workflow ids taken (that is what stops a second
     * payment), and so does a batch given a caller's key another batch is already running.
     * Only a prompt of this batch reports here; a closed one is read here.
     */
    async findExistingPrompt({ workflowId, batchId }: { workflowId: string; batchId: string }): Promise<ExistingPrompt> {
      const handle = Context.current().client.workflow.getHandle(workflowId);
      const { status, typedSearchAttributes } = await handle.describe();
      if (status.name === 'RUNNING') {
        const owner = typedSearchAttributes.get(CloroBatchIdKey) ?? null;
        return owner === batchId ? { state: 'running' } : { state: 'elsewhere', owner };
      }
      return { state: 'closed', summary: await closedResult<PromptSummary>(handle) };
    },

    /** A caller's batch id another execution already runs under (`cloroBatch` from a second run of its workflow). */
    async findExistingBatch({ workflowId }: { workflowId: string }): Promise<ExistingBatch> {
      const handle = Context.current().client.workflow.getHandle(workflowId);
      const { status } = await handle.describe();
      if (status.name === 'RUNNING') return { state: 'running' };
      return { state: 'closed', progress: await closedResult<BatchProgress>(handle) };
    },
  };
}

/** The result of a closed workflow; null when it failed (or was cancelled or terminated). */
async function closedResult<T>(handle: { result(): Promise<unknown> }): Promise<T | null> {
  try {
    return (await handle.result()) as T;
  } catch (err) {
    if (err instanceof WorkflowFailedError) return null;
    throw err;
  }
}
