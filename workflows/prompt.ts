/**
 * One prompt, one durable workflow: create the cloro task once, wait for a webhook
 * wake-up or a poll timer, re-read the task from cloro, and return a small summary.
 * The full answer is persisted by the fetch activity; history carries only ids and counts.
 * The decisions live in small pure parts (prompt-run, prompt-attempts, prompt-notifications,
 * poll-schedule, prompt-details); this file only sequences them with Temporal's calls.
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
  setWorkflowOptions,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  cancelUpdate,
  CloroStatusKey,
  CloroTaskIdKey,
  cloroTaskFinishedSignal,
  type FetchTaskOutcome,
  promptFinishedSignal,
  type PromptSummary,
  type PromptWorkflowInput,
  statusQuery,
} from './definitions';
import { countOrphan } from './orphan-metrics';
import { PollSchedule } from './poll-schedule';
import { PromptAttempts } from './prompt-attempts';
import { creatingDetails, finalDetails, ORPHAN_WAIT_DETAILS, storeRetryDetails, unstoredMessage, waitingDetails } from './prompt-details';
import { Notifications } from './prompt-notifications';
import { PromptRun } from './prompt-run';
import { failedPromptSummary } from './prompt-summary';
import { answerWrites, cloroApi } from './retry-policies';
import { DEFAULT_PROMPT_POLICY, DEFAULT_PROMPT_TIMING } from './tuning';
import { whenVersioned } from './versioning';

type TerminalOutcome = Exclude<FetchTaskOutcome, { status: 'QUEUED' | 'PROCESSING' | 'NOT_OURS' }>;

/**
 * Under Worker Deployment Versioning a prompt finishes on the build that started it: it is
 * short (minutes; hours only while a store outage lasts), so no other build ever replays it.
 * Unversioned workers ignore this, so shape changes still go behind patched() for them.
 */
setWorkflowOptions(whenVersioned('PINNED'), promptWorkflow);

/** Runs the prompt; a prompt of a batch also reports its summary (or its failure) to the batch. */
export async function promptWorkflow(input: PromptWorkflowInput): Promise<PromptSummary> {
  if (!input.reportTo) return runPrompt(input);
  let result: PromptSummary;
  try {
    result = await runPrompt(input);
  } catch (err) {
    const type = err instanceof ApplicationFailure ? err.type : undefined;
    await reportToBatch(
      input.reportTo,
      failedPromptSummary(input.idempotencyKey, { code: type ?? 'WorkflowFailed', message: describe(err) }),
    );
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
  const { workflowId } = workflowInfo();
  // Date.now() is replay-safe here (workflow-task time); it bounds waits, it never measures them.
  const deadline = Date.now() + timing.deadlineMs;
  const run = new PromptRun(
    input.idempotencyKey,
    new PromptAttempts(input.idempotencyKey, { ...DEFAULT_PROMPT_POLICY, ...input.policy }),
    new Notifications(),
    input.creditsEstimate,
  );

  setHandler(cloroTaskFinishedSignal, (n) => {
    if (run.notified(n) === 'oversize')
      log.warn('ignored a webhook signal whose task id or key is too long', { length: String(n.taskId).length });
  });
  setHandler(statusQuery, () => run.status);
  setHandler(cancelUpdate, (reason: string) => {
    run.cancel(reason);
    return run.status;
  });

  const finish = (result: PromptSummary): PromptSummary => {
    run.done();
    upsertSearchAttributes([{ key: CloroStatusKey, value: result.status }]);
    setCurrentDetails(finalDetails(result));
    return result;
  };

  /** Waits until `ready()` or the timeout; false on timeout. Cancellation wins over everything. */
  const waitFor = async (ready: () => boolean, ms: number): Promise<boolean> => {
    run.wakesBy(Date.now() + ms);
    return condition(() => ready() || run.cancelled, ms);
  };

  try {
    for (;;) {
      const key = run.attempts.key;
      run.creating();
      setCurrentDetails(creatingDetails(key));
      const created = await createTask({
        workflowId,
        idempotencyKey: key,
        request: input.request,
        delivery: input.delivery,
        batchId: input.batchId ?? null,
        labels: input.labels ?? {},
        ...(input.monitor ? { monitor: input.monitor } : {}),
      });
      run.created(created.webhook, Date.now());

      let taskId = created.kind === 'created' ? created.taskId : created.adoptedTaskId;
      // Set once a 409 lost the id: until then the webhook naming our key may still come.
      let orphanUntil: number | null = null;
      let ended: Exclude<Awaited<ReturnType<typeof waitForTerminal>>, 'not-ours'> | null = null;
      for (;;) {
        // The key a webhook-named task must carry at cloro before it is ours (see fetchTask).
        let expectedKey: string | undefined;
        if (taskId === null) {
          // 409 and no lookup: the task exists but its id was lost with the response.
          if (orphanUntil === null) {
            run.lostResponse();
            orphanUntil = Date.now() + Math.min(timing.orphanWaitMs, deadline - Date.now());
          }
          if (created.webhook) {
            setCurrentDetails(ORPHAN_WAIT_DETAILS);
            await waitFor(() => run.notifications.taskForKey(key) !== null, Math.max(0, orphanUntil - Date.now()));
            taskId = run.notifications.taskForKey(key);
            expectedKey = key;
          }
          if (run.cancelled) return finish(run.cancelledSummary());
          if (taskId === null) break;
        }
        run.adopted(taskId);
        upsertSearchAttributes([
          { key: CloroTaskIdKey, value: taskId },
          { key: CloroStatusKey, value: 'QUEUED' },
        ]);
        const waited = await waitForTerminal(taskId, created.webhook, expectedKey);
        if (waited !== 'not-ours') {
          ended = waited;
          break;
        }
        log.warn('a webhook named a task for our key that cloro says is not ours; rejected, still waiting', { taskId, key });
        run.notifications.disown(key);
        run.disowned();
        taskId = null;
      }
      if (ended === null || taskId === null) {
        if (run.attempts.resubmitOrphan()) continue;
        const orphaned = run.orphanedSummary(input.creditsEstimate);
        countOrphan(orphaned);
        return finish(orphaned);
      }

      if (ended === 'cancelled') return finish(run.cancelledSummary());
      if (ended === 'expired')
        return finish(run.summary('EXPIRED', { error: { code: 'EXPIRED', message: 'no terminal state before the deadline' } }));
      const outcome = await ensureStored(taskId, ended);
      if (outcome.status === 'COMPLETED') {
        const { status: _status, storeError, ...rest } = outcome;
        if (storeError !== undefined) return finish(run.summary('UNSTORED', { ...rest, error: { code: 'UNSTORED', message: storeError } }));
        return finish(run.summary('COMPLETED', rest));
      }
      // FAILED at cloro: resubmit only transient failures, within the bound, under a new key.
      if (run.attempts.resubmitFailed(outcome.transient, Date.now() < deadline)) {
        log.warn('cloro task FAILED with a transient code; resubmitting', { taskId, code: outcome.error.code });
        continue;
      }
      return finish(run.summary('FAILED', { resultRef: outcome.resultRef, error: outcome.error }));
    }
  } catch (err) {
    if (isCancellation(err)) return finish(run.cancelledSummary('workflow cancelled'));
    throw asTypedFailure(err);
  }

  /**
   * cloro finished and charged, but the store refused the answer: say so at once (log, search
   * attribute, details) and retry the write alone until the horizon. Gives back the outcome
   * with its ref, or with `storeError` explaining where the answer can still be read.
   */
  async function ensureStored(taskId: string, outcome: TerminalOutcome): Promise<TerminalOutcome> {
    if (outcome.storeError === undefined) return outcome;
    run.readFailed(outcome.storeError);
    log.warn('cloro finished the task but the results store refused its answer; retrying the write', { taskId, error: outcome.storeError });
    upsertSearchAttributes([{ key: CloroStatusKey, value: 'STORE_RETRYING' }]);
    setCurrentDetails(storeRetryDetails(taskId, outcome.storeError, timing.storeHorizonMs));
    try {
      const { resultRef } = await answerWrites(timing.storeHorizonMs).storeAnswer({ workflowId, taskId });
      run.readFailed(null);
      return { ...outcome, resultRef, storeError: undefined };
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      return { ...outcome, resultRef: null, storeError: unstoredMessage(taskId, describe(err), outcome.storeError, timing.storeHorizonMs) };
    }
  }

  /** The wait loop: wake on a webhook or a growing timer, then re-read the task from cloro. */
  async function waitForTerminal(
    taskId: string,
    webhook: boolean,
    expectedKey?: string,
  ): Promise<TerminalOutcome | 'expired' | 'cancelled' | 'not-ours'> {
    const schedule = new PollSchedule(timing, webhook);
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) return 'expired';
      const wait = schedule.next(remaining);
      run.waiting();
      setCurrentDetails(
        waitingDetails({ cloroStatus: run.status.cloroStatus, webhook, nextReadAt: Date.now() + wait, polls: run.status.polls, taskId }),
      );
      const woken = await waitFor(() => run.notifications.hasTask(taskId), wait);
      if (run.cancelled) return 'cancelled';
      // The webhook's arrival, or the start of the read that finds the task ended: as close to cloro's end as we can see.
      const readFrom = Date.now();

      run.fetching();
      let outcome: FetchTaskOutcome;
      try {
        outcome = await fetchTask({ workflowId, taskId, ...(expectedKey === undefined ? {} : { expectedKey }) });
      } catch (err) {
        if (!(err instanceof ActivityFailure) || isNonRetryable(err)) throw err;
        // cloro unreachable for a quarter of an hour: keep the task, try again at the next poll.
        run.readFailed(describe(err));
        schedule.backOff();
        continue;
      }
      if (outcome.status === 'NOT_OURS') return 'not-ours';
      if (outcome.status === 'COMPLETED' || outcome.status === 'FAILED') {
        run.ended(readFrom);
        return outcome;
      }

      const cloroStatus = outcome.cloroStatus ?? outcome.status;
      if (run.cloroStatusIs(cloroStatus)) upsertSearchAttributes([{ key: CloroStatusKey, value: cloroStatus }]);
      if (outcome.cloroStatus !== undefined && run.firstSightOfUnknown(outcome.cloroStatus)) {
        log.warn('cloro reports a task status this client does not know; waiting for it to finish', { taskId, cloroStatus });
      }
      // A wake-up that found the task unfinished was stale or forged: forget it, back to the timer.
      if (woken) run.notifications.forget(taskId);
      else schedule.backOff();
    }
  }
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
