/**
 * The activities that talk to cloro. They never retry on their own: every failure goes
 * through `toApplicationFailure`, and Temporal's retry policy (set in the workflow) decides.
 */
import { Context, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { CloroConflict, CloroNotFound, isTransientTaskFailure, toApplicationFailure } from '../src/cloro/errors';
import type { CloroTask } from '../src/cloro/schemas';
import { DEFAULT_PAGE_MAX_BYTES, downloadPages, htmlLinks } from '../src/cloro/pages';
import type { ActivityDeps } from './deps';
import { MAX_ID_LENGTH } from '../workflows/definitions';
import type {
  CreateTaskInput,
  CreateTaskOutcome,
  Delivery,
  FetchTaskInput,
  FetchTaskOutcome,
  Persisted,
  StoreAnswerInput,
} from '../workflows/definitions';

/**
 * Maps a failed cloro call for Temporal. When the activity itself was cancelled the abort
 * must pass through untouched: only an AbortError/CancelledFailure is reported as
 * "cancelled" rather than as a retryable failure.
 */
function failure(err: unknown, signal: AbortSignal): unknown {
  return signal.aborted ? err : toApplicationFailure(err);
}

export function createCloroActivities({ cloro, store, callbackUrl, pages: pageOptions = {} }: ActivityDeps) {
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

  async function readTask(taskId: string, signal: AbortSignal): Promise<CloroTask> {
    try {
      return await cloro.getTask(taskId, { signal });
    } catch (err) {
      throw failure(err, signal);
    }
  }

  /**
   * Writes a terminal task's answer (or cloro's error) under the workflow's record, with the
   * HTML behind its `html` links (cloro deletes those after 24 h, so now is the time); returns its ref.
   */
  async function persist(workflowId: string, task: TerminalTask, signal: AbortSignal): Promise<string> {
    const common = { taskId: task.id, credits: task.credits, fetchedAt: new Date().toISOString() };
    if (task.status !== 'COMPLETED') return store.saveOutcome(workflowId, { ...common, status: 'FAILED', result: null, error: task.error });
    const ref = await store.saveOutcome(workflowId, { ...common, status: 'COMPLETED', result: task.result, error: null });
    const links = htmlLinks(task.result.html);
    if (links.length > 0) {
      const pages = await downloadPages(links, {
        maxBytes: pageOptions.maxBytes ?? DEFAULT_PAGE_MAX_BYTES,
        timeoutMs: pageOptions.timeoutMs ?? 30_000,
        ...(pageOptions.fetch ? { fetch: pageOptions.fetch } : {}),
        signal,
      });
      for (const page of pages.filter((p) => p.status !== 'stored')) {
        log.warn('an html page of the answer was not stored whole', {
          workflowId,
          position: page.position,
          status: page.status,
          bytes: page.bytes,
          error: page.error,
        });
      }
      await store.saveAnswerPages(workflowId, pages, common.fetchedAt);
    }
    return ref;
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
        priority: input.request.priority,
        monitorId: input.monitor?.monitorId ?? null,
        runId: input.monitor?.runId ?? null,
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

    /**
     * GET the task; when it is terminal, persist the full answer here so it never enters
     * history. A failed write does not fail the fetch: cloro has finished and charged, so the
     * outcome is reported with the write's error and the workflow retries the write alone.
     */
    async fetchTask({ workflowId, taskId, expectedKey }: FetchTaskInput): Promise<FetchTaskOutcome> {
      const { cancellationSignal: signal } = Context.current();
      const task = settled(await readTask(taskId, signal));
      if (expectedKey !== undefined && task.idempotencyKey !== expectedKey) {
        // A webhook named this task for our key, but cloro says it belongs to another key (or to none): never adopt it.
        log.warn('the task a webhook named does not carry our idempotency key; not adopting it', { workflowId, taskId, expectedKey });
        return { status: 'NOT_OURS', idempotencyKey: task.idempotencyKey?.slice(0, MAX_ID_LENGTH) ?? null };
      }
      if (!isTerminal(task)) return unfinished(task, workflowId);
      let persisted: Persisted;
      try {
        persisted = { resultRef: await persist(workflowId, task, signal) };
      } catch (err) {
        const storeError = describeStoreError(err);
        log.warn('the answer could not be stored; the workflow retries the write', { workflowId, taskId, storeError });
        persisted = { resultRef: null, storeError };
      }
      return { ...outcomeOf(task), ...persisted };
    },

    /**
     * The retried half of a fetch whose write failed: read the task again (the answer never
     * passes through history) and write it. A failed write is retryable; a task cloro no
     * longer has (purged 24 h after it finished) is not.
     */
    async storeAnswer({ workflowId, taskId }: StoreAnswerInput): Promise<{ resultRef: string }> {
      const { cancellationSignal: signal } = Context.current();
      const task = settled(await readTask(taskId, signal));
      if (!isTerminal(task)) {
        const status = task.status === 'UNKNOWN' ? task.cloroStatus : task.status;
        throw ApplicationFailure.nonRetryable(`task ${taskId} is ${status} again at cloro`, 'CloroProtocolError');
      }
      try {
        return { resultRef: await persist(workflowId, task, signal) };
      } catch (err) {
        throw ApplicationFailure.retryable(describeStoreError(err), 'StoreWriteFailed');
      }
    },
  };
}

type TerminalTask = Extract<CloroTask, { status: 'COMPLETED' | 'FAILED' }>;

/**
 * A task in a status cloro added after this client was written, and whose name says it is over
 * (CANCELLED, EXPIRED, ERROR, …), ends as FAILED with a code naming that status: it will never
 * become COMPLETED, and a typed failure beats a crash or a wait until the deadline.
 */
function settled(task: CloroTask): CloroTask {
  if (task.status !== 'UNKNOWN' || !task.terminal) return task;
  const { cloroStatus, terminal: _terminal, ...base } = task;
  const message = `cloro ended the task with status ${cloroStatus}, which this client does not know; no answer`;
  return { ...base, status: 'FAILED', error: { code: `CLORO_STATUS_${cloroStatus}`, message } };
}

function isTerminal(task: CloroTask): task is TerminalTask {
  return task.status === 'COMPLETED' || task.status === 'FAILED';
}

/** Not finished yet; an unknown status rides along so the workflow can show it and log it. */
function unfinished(task: Exclude<CloroTask, TerminalTask>, workflowId: string): FetchTaskOutcome {
  if (task.status !== 'UNKNOWN') return { status: task.status };
  log.info('cloro reports a task status this client does not know; reading it as not finished', {
    workflowId,
    taskId: task.id,
    cloroStatus: task.cloroStatus,
  });
  return { status: 'PROCESSING', cloroStatus: task.cloroStatus };
}

/** What the workflow learns of a terminal task: counts and codes, never the answer itself. */
function outcomeOf(task: TerminalTask) {
  if (task.status === 'COMPLETED') {
    return {
      status: 'COMPLETED' as const,
      creditsCharged: task.credits.creditsCharged ?? task.credits.creditsToCharge,
      model: task.result.model ?? null,
      textLength: task.result.text?.length ?? 0,
      sourcesCount: task.result.sources?.length ?? 0,
    };
  }
  return {
    status: 'FAILED' as const,
    error: { code: task.error.code, message: task.error.message },
    transient: isTransientTaskFailure(task.error.code),
  };
}

/** A store error for logs and history: its kind and message, never a connection string. */
function describeStoreError(err: unknown): string {
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return message.replace(/postgres(ql)?:\/\/\S+/g, 'postgres://…').slice(0, 500);
}
