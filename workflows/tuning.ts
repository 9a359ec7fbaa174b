/**
 * Workflow code, not configuration. The prompt and batch workflows read these defaults
 * while they run, so a changed value can change which commands a replayed workflow issues
 * (a different eventBudget continues as new at another point; a different statusIntervalMs
 * reads cloro's queue, and so submits, at other points; a different resubmit policy creates
 * another task): running executions would fail replay with a nondeterminism error.
 *
 * Change a value only behind `patched()` (keep the old value on the unpatched branch), or
 * roll the change out on a new task queue after draining the old one.
 * test/unit/replay.test.ts shows a changed default failing the recorded histories.
 */
import type { BatchTuning, PromptPolicy, PromptTiming } from './definitions';

export const DEFAULT_PROMPT_TIMING: PromptTiming = {
  pollInitialMs: 2_000,
  pollFactor: 1.5,
  pollMaxMs: 60_000,
  safetyPollMs: 3 * 60_000,
  safetyPollMaxMs: 20 * 60_000,
  deadlineMs: 23 * 3_600_000,
  orphanWaitMs: 35 * 60_000,
  // cloro deletes a task 24 h after it finished: 20 h of write retries leave hours to read it by hand.
  storeHorizonMs: 20 * 3_600_000,
};

export const DEFAULT_PROMPT_POLICY: PromptPolicy = { maxFailedResubmits: 1, maxOrphanResubmits: 0 };

export const DEFAULT_BATCH_TUNING: BatchTuning = {
  fallbackConcurrency: 10,
  queueBuffer: null,
  statusIntervalMs: 2_000,
  creditsIntervalMs: 30_000,
  pageSize: 200,
  // Short runs replay fast: at 10,000 a 10k-prompt bench saw batch workflow tasks of 5–9 s (the task timeout is 10 s).
  eventBudget: 2_000,
};
