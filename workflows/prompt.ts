/**
 * One prompt, one durable workflow: create the cloro task once, wait for a webhook
 * wake-up or a poll timer, re-read the task from cloro, and return a small summary.
 * The full answer is persisted by the fetch activity; history carries only ids and counts.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  getExternalWorkflowHandle,
  isCancellation,
  log,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { CreateTaskOutcome, FetchTaskOutcome } from '../activities';
import { cloroApi } from './cloro-api';
import {
  cancelUpdate,
  CloroStatusKey,
  CloroTaskIdKey,
  cloroTaskFinishedSignal,
  failedPromptSummary,
  promptFinishedSignal,
  type PromptOutcome,
  type PromptStatus,
  type PromptSummary,
  type PromptWorkflowInput,
  statusQuery,
} from './definitions';
import { DEFAULT_PROMPT_POLICY, DEFAULT_PROMPT_TIMING } from './tuning';

/** Runs the prompt; a prompt of a batch also reports its summary (or its failure) to the batch. */
export async function promptWorkflow(input: PromptWorkflowInput): Promise<PromptSummary> {
  if (!input.reportTo) return runPrompt(input);
  let result: PromptSummary;
  try {
    result = await runPrompt(input);
  } catch (err) {
    const type = err instanceof ApplicationFailure ? err.type : undefined;
    await reportToBatch(input.reportTo, failedPromptSummary(input.idempotencyKey, { code: type ?? 'WorkflowFailed', message: describe(err) }));
    throw err;
  }
  await reportToBatch(input.reportTo, result);
  return result;
}

/**
 * Tells the batch how this prompt ended. By workflow id, not run id, so the report reaches
 * the batch's current run even after it continued as new; non-cancellable, because a
 * cancelled prompt must still be counted. A batch that is gone is not our failure.
 */
async function reportToBatch(batchWorkflowId: string, summary: PromptSummary): Promise<void> {
  const { workflowId } = workflowInfo();
  await CancellationScope.nonCancellable(async () => {
    try {
      await getExternalWorkflowHandle(batchWorkflowId).signal(promptFinishedSignal, { workflowId, summary });
    } catch (err) {
      log.warn('could not report to the batch', { batchWorkflowId, error: describe(err) });
    }
  });
}

async function runPrompt(input: PromptWorkflowInput): Promise<PromptSummary> {
  const { createTask, fetchTask } = cloroApi();
  const timing = { ...DEFAULT_PROMPT_TIMING, ...input.timing };
  const policy = { ...DEFAULT_PROMPT_POLICY, ...input.policy };
  const { workflowId } = workflowInfo();
  // Date.now() is replay-safe here (workflow-task time); it bounds waits, it never measures them.
  const deadline = Date.now() + timing.deadlineMs;

  const state: PromptStatus = {
    phase: 'creating',
    taskId: null,
    cloroStatus: null,
    delivery: null,
    attempts: 0,
    polls: 0,
    notifications: 0,
    lastError: null,
    nextPollAt: null,
  };
  let orphaned = 0;
  let cancelReason: string | null = null;
  /** Workflow time (replay-safe) of the last create's acceptance and of learning its task ended: a batch sizes its window by them. */
  const seen: { createdAt: string | null; finishedAt: string | null } = { createdAt: null, finishedAt: null };
  /** Finished tasks announced by webhooks, by task id and by idempotency key (at-least-once: dedupe here). */
  const finishedTasks = new Set<string>();
  const finishedByKey = new Map<string, string>();

  setHandler(cloroTaskFinishedSignal, ({ taskId, idempotencyKey }) => {
    if (finishedTasks.has(taskId)) return; // duplicate delivery: nothing new
    finishedTasks.add(taskId);
    if (idempotencyKey) finishedByKey.set(idempotencyKey, taskId);
    state.notifications++;
  });
  setHandler(statusQuery, () => state);
  setHandler(cancelUpdate, (reason: string) => {
    cancelReason = reason || 'cancelled by request';
    return state;
  });

  const summary = (status: PromptOutcome, extra: Partial<PromptSummary> = {}): PromptSummary => ({
    idempotencyKey: input.idempotencyKey,
    taskId: state.taskId,
    status,
    creditsCharged: 0,
    model: null,
    textLength: 0,
    sourcesCount: 0,
    attempts: state.attempts,
    orphaned,
    resultRef: null,
    error: null,
    ...seen,
    ...extra,
  });

  const finish = (result: PromptSummary): PromptSummary => {
    state.phase = 'done';
    state.nextPollAt = null;
    upsertSearchAttributes([{ key: CloroStatusKey, value: result.status }]);
    setCurrentDetails(finalDetails(result));
    return result;
  };

  /** Waits until `ready()` or the timeout; false on timeout. Cancellation wins over everything. */
  const waitFor = async (ready: () => boolean, ms: number): Promise<boolean> => {
    state.nextPollAt = new Date(Date.now() + ms).toISOString();
    return condition(() => ready() || cancelReason !== null, ms);
  };

  try {
    let key = input.idempotencyKey;
    let failedResubmits = 0;
    for (;;) {
      state.phase = 'creating';
      setCurrentDetails(`creating the cloro task (key \`${key}\`)`);
      const created = await create(key);
      seen.createdAt = new Date().toISOString();
      seen.finishedAt = null;
      state.attempts++;
      state.delivery = created.webhook ? 'webhook' : 'poll';

      let taskId = created.kind === 'created' ? created.taskId : created.adoptedTaskId;
      if (taskId === null) {
        // 409 and no lookup: the task exists but its id was lost with the response.
        orphaned++;
        state.lastError = 'create answered 409: created earlier, response lost';
        if (created.webhook) {
          setCurrentDetails('create answered 409; waiting for the webhook that names our key');
          await waitFor(() => finishedByKey.has(key), Math.min(timing.orphanWaitMs, deadline - Date.now()));
          taskId = finishedByKey.get(key) ?? null;
        }
        if (cancelReason !== null) return finish(summary('CANCELLED', { error: { code: 'CANCELLED', message: cancelReason } }));
        if (taskId === null) {
          if (orphaned > policy.maxOrphanResubmits) {
            return finish(summary('ORPHANED', { error: { code: 'ORPHANED', message: 'task created but its id was lost; not resubmitted (maxOrphanResubmits)' } }));
          }
          key = resubmitKey(input.idempotencyKey, state.attempts);
          continue;
        }
      }
      adopt(taskId);

      const outcome = await waitForTerminal(taskId, created.webhook);
      if (outcome === 'cancelled') return finish(summary('CANCELLED', { error: { code: 'CANCELLED', message: cancelReason ?? '' } }));
      if (outcome === 'expired') {
        return finish(summary('EXPIRED', { error: { code: 'EXPIRED', message: 'no terminal state before the deadline' } }));
      }
      if (outcome.status === 'COMPLETED') {
        const { status: _status, ...rest } = outcome;
        return finish(summary('COMPLETED', rest));
      }
      // FAILED at cloro: resubmit only transient failures, within the bound, under a new key.
      if (outcome.transient && failedResubmits < policy.maxFailedResubmits && Date.now() < deadline) {
        failedResubmits++;
        log.warn('cloro task FAILED with a transient code; resubmitting', { taskId, code: outcome.error.code });
        key = resubmitKey(input.idempotencyKey, state.attempts);
        continue;
      }
      return finish(summary('FAILED', { resultRef: outcome.resultRef, error: outcome.error }));
    }
  } catch (err) {
    if (isCancellation(err)) return finish(summary('CANCELLED', { error: { code: 'CANCELLED', message: 'workflow cancelled' } }));
    throw asTypedFailure(err);
  }

  async function create(key: string): Promise<CreateTaskOutcome> {
    return createTask({
      workflowId,
      idempotencyKey: key,
      request: input.request,
      delivery: input.delivery,
      batchId: input.batchId ?? null,
      labels: input.labels ?? {},
    });
  }

  function adopt(taskId: string): void {
    state.taskId = taskId;
    state.cloroStatus = 'QUEUED';
    state.lastError = null;
    upsertSearchAttributes([
      { key: CloroTaskIdKey, value: taskId },
      { key: CloroStatusKey, value: 'QUEUED' },
    ]);
  }

  /** The wait loop: wake on a webhook or a growing timer, then re-read the task from cloro. */
  async function waitForTerminal(
    taskId: string,
    webhook: boolean,
  ): Promise<Exclude<FetchTaskOutcome, { status: 'QUEUED' | 'PROCESSING' }> | 'expired' | 'cancelled'> {
    let delay = webhook ? timing.safetyPollMs : timing.pollInitialMs;
    const maxDelay = webhook ? timing.safetyPollMaxMs : timing.pollMaxMs;
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) return 'expired';
      state.phase = 'waiting';
      // The UI shows this next to when it was read, so say when the next read is, not "in N s".
      const nextRead = clockTime(Date.now() + Math.min(delay, remaining));
      setCurrentDetails(
        `**${state.cloroStatus}** at cloro · ${webhook ? `waiting for the webhook, safety read ≈ ${nextRead}` : `polling, next read ≈ ${nextRead}`} · ${state.polls} read${state.polls === 1 ? '' : 's'} so far · task ${taskId}`,
      );
      const woken = await waitFor(() => finishedTasks.has(taskId), Math.min(delay, remaining));
      if (cancelReason !== null) return 'cancelled';
      // The webhook's arrival, or the start of the read that finds the task ended: as close to cloro's end as we can see.
      const readFrom = new Date().toISOString();

      state.phase = 'fetching';
      state.polls++;
      let outcome: FetchTaskOutcome;
      try {
        outcome = await fetchTask({ workflowId, taskId });
      } catch (err) {
        if (!(err instanceof ActivityFailure) || isNonRetryable(err)) throw err;
        // cloro unreachable for a quarter of an hour: keep the task, try again at the next poll.
        state.lastError = describe(err);
        delay = Math.min(delay * timing.pollFactor, maxDelay);
        continue;
      }
      if (outcome.status === 'COMPLETED' || outcome.status === 'FAILED') {
        seen.finishedAt = readFrom;
        return outcome;
      }

      if (outcome.status !== state.cloroStatus) {
        state.cloroStatus = outcome.status;
        upsertSearchAttributes([{ key: CloroStatusKey, value: outcome.status }]);
      }
      // A wake-up that found the task unfinished was stale or forged: forget it, back to the timer.
      if (woken) finishedTasks.delete(taskId);
      else delay = Math.min(delay * timing.pollFactor, maxDelay);
    }
  }
}

/** "COMPLETED · gpt-5-mini · 327 chars · 6 sources · 5 credits" — what a person wants to know at a glance. */
function finalDetails(result: PromptSummary): string {
  const facts =
    result.status === 'COMPLETED'
      ? [result.model, `${result.textLength} chars`, `${result.sourcesCount} sources`, `${result.creditsCharged} credits`]
      : [result.error ? `${result.error.code}: ${result.error.message}` : null];
  if (result.attempts > 1) facts.push(`${result.attempts} cloro tasks`);
  if (result.orphaned > 0) facts.push(`${result.orphaned} lost create response${result.orphaned === 1 ? '' : 's'}`);
  return [`**${result.status}**`, ...facts.filter(Boolean)].join(' · ');
}

function clockTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 19)} UTC`;
}

/** cloro's key for the n-th resubmission of a prompt: the original key stays reserved for the first task. */
function resubmitKey(key: string, attempts: number): string {
  return `${key}-r${attempts}`;
}

function isNonRetryable(err: ActivityFailure): boolean {
  return err.cause instanceof ApplicationFailure && err.cause.nonRetryable === true;
}

function describe(err: unknown): string {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
}

/**
 * Surfaces cloro's typed failure (CloroValidationError, CloroAuthError, …) as the workflow's
 * own failure, so the Web UI and callers see "CloroValidationError: payload.prompt: …"
 * rather than a generic activity failure.
 */
function asTypedFailure(err: unknown): unknown {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) {
    const cause = err.cause;
    return ApplicationFailure.create({
      type: cause.type ?? 'CloroError',
      message: cause.message,
      nonRetryable: true,
      details: cause.details ?? undefined,
      cause: err,
    });
  }
  return err;
}
