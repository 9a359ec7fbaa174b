/**
 * A batch: one child promptWorkflow per item (each inspectable in the Web UI), submitted
 * through a window that follows cloro's org-wide queue (see batch-window.ts), stopped by a
 * credit budget or cloro's balance, cancellable, and continued as new before its history
 * grows large, so 100,000 items run as a chain of small runs.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  ParentClosePolicy,
  setCurrentDetails,
  setHandler,
  setWorkflowOptions,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { CreditGuard } from './batch-credits';
import { ItemFeeder } from './batch-feeder';
import { recordWindow } from './batch-metrics';
import { BatchLedger } from './batch-ledger';
import { SubmissionWindow } from './batch-window';
import {
  type BatchItem,
  type BatchProgress,
  type BatchWorkflowInput,
  cancelBatchUpdate,
  CloroStatusKey,
  progressQuery,
  promptFinishedSignal,
  promptWorkflowId,
  type PromptSummary,
  type PromptWorkflowInput,
} from './definitions';
import { failedPromptSummary } from './prompt-summary';
import { cloroApi, localWork } from './retry-policies';
import { DEFAULT_BATCH_TUNING } from './tuning';
import { whenVersioned } from './versioning';
import type { promptWorkflow } from './prompt';
import { promptSearchAttributes, promptSummaryLine, temporalPriorityKey } from '../src/prompts/start-options';

/**
 * Under Worker Deployment Versioning a batch moves to the current build at its next
 * workflow task: it runs for hours and continues as new, and pinning it would keep old
 * workers alive for as long. So the new build replays its history: shape changes go behind
 * patched(), as without versioning. Its prompts are PINNED children (see prompt.ts).
 */
setWorkflowOptions(whenVersioned('AUTO_UPGRADE'), batchWorkflow);

/** Runs a batch to its end (across continue-as-new) and returns its final progress. */
export async function batchWorkflow(input: BatchWorkflowInput): Promise<BatchProgress> {
  const tuning = { ...DEFAULT_BATCH_TUNING, ...input.tuning };
  const { workflowId } = workflowInfo();
  const api = cloroApi();
  const { readPromptSetPage, findExistingPrompt } = localWork();
  const ledger = new BatchLedger(input.batchId, input.total, input.carry, new Date().toISOString());
  const feeder = new ItemFeeder(input.source, input.carry?.pending, readPromptSetPage, tuning.pageSize);
  const window = new SubmissionWindow(tuning, input.carry?.window);
  const credits = new CreditGuard(input.budget ?? null, tuning.creditsIntervalMs);
  let cancelSent = false;
  let phase = '';

  setHandler(promptFinishedSignal, ({ workflowId: childId, summary }) => settle(childId, summary));
  setHandler(progressQuery, progress);
  setHandler(cancelBatchUpdate, async ({ reason, clearOrgQueue }) => {
    log.info('batch cancelled', { reason });
    ledger.stop('cancelled');
    // cloro's queue cancel is org-wide: only on an explicit request, never implied by a batch cancel.
    if (clearOrgQueue) await api.clearOrgQueue();
    await condition(() => cancelSent || ledger.done);
    return progress();
  });

  while (!ledger.done) {
    // Before the continue-as-new check: a cancel update waits for this, and CAN waits for handlers.
    if (ledger.stopReason === 'cancelled' && !cancelSent) await cancelWaitingChildren();
    if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= tuning.eventBudget) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof batchWorkflow>({
        ...input,
        source: feeder.nextSource(),
        carry: { ...ledger.carry(), pending: feeder.pending, window: window.carry() },
      });
    }
    showProgress();
    if (ledger.submissionsDone) {
      // Draining: only a report (or a cancel) can change anything, so no timer and no extra events.
      const seen = ledger.reports;
      await condition(() => ledger.reports !== seen || (ledger.stopReason === 'cancelled' && !cancelSent));
      continue;
    }
    await submitWhatFits();
  }
  await condition(allHandlersFinished);
  showProgress();
  return progress();

  async function submitWhatFits(): Promise<void> {
    if (window.isStale(Date.now())) {
      // Counted before the read: reports may arrive while it is under way, launches cannot, so
      // cloro never shows more of ours than this.
      const inFlight = ledger.inFlightCount;
      window.observe(await api.readQueueStatus(), inFlight, Date.now());
    }
    if (credits.isStale(Date.now())) credits.observe((await api.readCredits()).remaining, ledger, Date.now());
    if (ledger.outOfCredits) ledger.stop('credits');
    const room = window.capacity(ledger.inFlightCount);
    if (room === 0 || ledger.submissionsDone) {
      // Wait for one of ours to finish or a cancel. Only when others' tasks fill cloro's queue
      // can a fresh reading open room, so only then is there a timer (each costs two events).
      const seen = ledger.reports;
      const woken = () => ledger.reports !== seen || ledger.submissionsDone;
      if (window.ownRoom(ledger.inFlightCount) > 0) await condition(woken, window.msUntilStale(Date.now()));
      else await condition(woken);
      return;
    }
    const items = await feeder.take(room);
    const starts: Promise<void>[] = [];
    for (const item of items) {
      const estimate = input.prices[item.request.taskType] ?? Math.max(0, ...Object.values(input.prices));
      const stop = credits.check(estimate, ledger);
      if (stop) {
        ledger.stop(stop);
        break;
      }
      const childId = promptWorkflowId(item.idempotencyKey);
      ledger.launched(childId, estimate, Date.now());
      starts.push(launch(childId, item, estimate));
    }
    await Promise.all(starts);
  }

  /**
   * ABANDON on purpose: a prompt already at cloro is paid for, so closing the batch — and every
   * continue-as-new closes a run — must not terminate it; cancellation is explicit instead.
   * REJECT_DUPLICATE plus a key derived from the batch id: a re-run never submits twice.
   */
  async function launch(childId: string, item: BatchItem, creditsEstimate: number): Promise<void> {
    const child: PromptWorkflowInput = {
      ...item,
      creditsEstimate,
      batchId: input.batchId,
      reportTo: workflowId,
      ...(input.promptTiming ? { timing: input.promptTiming } : {}),
      ...(input.promptPolicy ? { policy: input.promptPolicy } : {}),
    };
    try {
      await startChild<typeof promptWorkflow>('promptWorkflow', {
        workflowId: childId,
        args: [child],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        priority: { priorityKey: temporalPriorityKey(item.request.priority) },
        staticSummary: promptSummaryLine(child),
        typedSearchAttributes: promptSearchAttributes(child),
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      // Taken by an earlier run of this batch (a running one reports by itself), by a prompt that
      // ended (read now), or by someone else's running prompt (it is recorded where it runs).
      const existing = await findExistingPrompt({ workflowId: childId, batchId: input.batchId });
      if (existing.state === 'elsewhere') {
        log.warn('a prompt of this batch is already running for someone else; skipped here, recorded there', {
          childId,
          owner: existing.owner,
        });
        ledger.runsElsewhere(childId);
      }
      if (existing.state === 'closed') {
        const failed = { code: 'WorkflowFailed', message: 'the prompt workflow of an earlier run failed' };
        settle(childId, existing.summary ?? failedPromptSummary(item.idempotencyKey, failed));
      }
    }
  }

  function progress(): BatchProgress {
    return { ...ledger.progress(Date.now()), window: window.figures(ledger.inFlightCount) };
  }

  /** A child's outcome: into the books once, and into the window's measurements. */
  function settle(childId: string, summary: PromptSummary): void {
    const prompt = ledger.record(childId, summary);
    if (prompt) window.finished(Date.now(), prompt.launchedAt, summary);
  }

  /** Cancellation requests, not the prompt's cancel update: a workflow cannot send updates; both end the prompt CANCELLED. */
  async function cancelWaitingChildren(): Promise<void> {
    cancelSent = true;
    await Promise.all(
      ledger.inFlightIds().map((id) =>
        getExternalWorkflowHandle(id)
          .cancel()
          .catch((err: unknown) => log.warn('could not cancel a prompt of the batch', { id, error: String(err) })),
      ),
    );
  }

  /** Current details every loop (no history event); the search attribute only when the phase changes. */
  function showProgress(): void {
    const p = progress();
    recordWindow(p.window, p.inFlight);
    const next = p.done ? (p.stopReason === 'cancelled' ? 'CANCELLED' : 'COMPLETED') : p.stopReason ? 'STOPPING' : 'RUNNING';
    if (next !== phase) {
      if (phase !== '' || next !== 'RUNNING') upsertSearchAttributes([{ key: CloroStatusKey, value: next }]);
      phase = next;
    }
    setCurrentDetails(
      `**${next}** · ${p.finished}/${p.total} done · ${p.inFlight} in flight · ` +
        `${p.skipped} skipped · ${p.creditsCharged} credits · window ${p.window.concurrencyMax}+${p.window.buffer} (+${p.window.pipeline} in transit), cloro queue ≈${window.queueEstimate(p.inFlight)}` +
        (p.window.roundTripMs === null ? '' : ` · our round trip ≈${(p.window.roundTripMs / 1000).toFixed(1)} s`) +
        (p.stopReason ? ` · stopped: ${p.stopReason}` : ''),
    );
  }
}
