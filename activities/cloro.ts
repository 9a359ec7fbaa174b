/**
 * The activities that talk to cloro. They never retry on their own: every failure goes
 * through `toApplicationFailure`, and Temporal's retry policy (set in the workflow) decides.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { CloroConflict, CloroNotFound, isTransientTaskFailure, toApplicationFailure } from '../src/cloro/errors';
import type { CloroTask } from '../src/cloro/schemas';
import type { ActivityDeps } from './deps';
import type { CreateTaskInput, CreateTaskOutcome, Delivery, FetchTaskInput, FetchTaskOutcome } from '../workflows/definitions';

/**
 * Maps a failed cloro call for Temporal. When the activity itself was cancelled the abort
 * must pass through untouched: only an AbortError/CancelledFailure is reported as
 * "cancelled" rather than as a retryable failure.
 */
function failure(err: unknown, signal: AbortSignal): unknown {
  return signal.aborted ? err : toApplicationFailure(err);
}

export function createCloroActivities({ cloro, store, callbackUrl }: ActivityDeps) {
  function webhookFor(delivery: Delivery, workflowId: string): string | undefined {
    if (delivery === 'poll') return undefined;
    if (callbackUrl) return callbackUrl(workflowId);
    if (delivery === 'auto') return undefined;
    throw ApplicationFailure.nonRetryable(
      'delivery "webhook" needs a webhook bridge (set BRIDGE_PUBLIC_URL or run the bridge with the worker)',
      'ConfigError',
    );
  }

  /** After a 409, try the undocumented lookup by key; a 404 just means "not supported". */
  async function findByKey(idempotencyKey: string, signal: AbortSignal): Promise<CloroTask | undefined> {
    try {
      const task = await cloro.getTask(idempotencyKey, { signal });
      return task.idempotencyKey === idempotencyKey ? task : undefined;
    } catch (err) {
      if (err instanceof CloroNotFound) return undefined;
      throw err;
    }
  }

  return {
    async createTask(input: CreateTaskInput): Promise<CreateTaskOutcome> {
      const { cancellationSignal: signal } = Context.current();
      const url = webhookFor(input.delivery, input.workflowId);
      // Recorded before the create: a store failure after cloro accepted the task would make
      // the retry answer 409 and lose the task id.
      await store.saveSubmission({
        workflowId: input.workflowId,
        idempotencyKey: input.idempotencyKey,
        taskType: input.request.taskType,
        prompt: input.request.payload.prompt ?? input.request.payload.query ?? '',
        country: input.request.payload.country,
        batchId: input.batchId,
        labels: input.labels,
        submittedAt: new Date().toISOString(),
      });
      try {
        const created = await cloro.createTask(
          { ...input.request, idempotencyKey: input.idempotencyKey, ...(url ? { webhook: { url } } : {}) },
          { signal },
        );
        return { kind: 'created', taskId: created.task.id, webhook: url !== undefined, creditsToCharge: created.credits.creditsToCharge };
      } catch (err) {
        if (!(err instanceof CloroConflict)) throw failure(err, signal);
        try {
          const found = await findByKey(input.idempotencyKey, signal);
          return { kind: 'conflict', webhook: url !== undefined, adoptedTaskId: found?.id ?? null };
        } catch (lookupErr) {
          throw failure(lookupErr, signal);
        }
      }
    },

    /** GET the task; when it is terminal, persist the full answer here so it never enters history. */
    async fetchTask({ workflowId, taskId }: FetchTaskInput): Promise<FetchTaskOutcome> {
      const { cancellationSignal: signal } = Context.current();
      const task: CloroTask = await cloro.getTask(taskId, { signal }).catch((err: unknown) => {
        throw failure(err, signal);
      });
      if (task.status === 'QUEUED' || task.status === 'PROCESSING') return { status: task.status };

      const fetchedAt = new Date().toISOString();
      if (task.status === 'COMPLETED') {
        const resultRef = await store.saveOutcome(workflowId, {
          status: 'COMPLETED',
          taskId,
          credits: task.credits,
          result: task.result,
          error: null,
          fetchedAt,
        });
        return {
          status: 'COMPLETED',
          creditsCharged: task.credits.creditsCharged ?? task.credits.creditsToCharge,
          model: task.result.model ?? null,
          textLength: task.result.text?.length ?? 0,
          sourcesCount: task.result.sources?.length ?? 0,
          resultRef,
        };
      }
      const resultRef = await store.saveOutcome(workflowId, {
        status: 'FAILED',
        taskId,
        credits: task.credits,
        result: null,
        error: task.error,
        fetchedAt,
      });
      return {
        status: 'FAILED',
        error: { code: task.error.code, message: task.error.message },
        transient: isTransientTaskFailure(task.error.code),
        resultRef,
      };
    },
  };
}
