/**
 * Every activity proxy, with its timeouts and retry policy: the one place workflows get
 * activities from. Which failures are worth retrying is decided by the failure-type table
 * (definitions/errors.ts), which the activities apply too; the policies here add only how
 * long and how often.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { apiTaskQueue, NON_RETRYABLE_ERROR_TYPES } from './definitions';

/** The activities already mark these failures non-retryable; the list is belt and braces. */
const nonRetryableErrorTypes = [...NON_RETRYABLE_ERROR_TYPES];

/**
 * How soon an attempt whose worker died is given up and retried elsewhere. Every activity
 * heartbeats while it runs (activities/heartbeats.ts), so this, not the start-to-close timeout,
 * bounds the delay a killed worker adds to its in-flight prompts; it leaves room for an event
 * loop stalled for several seconds on a loaded host before a live attempt is taken for dead.
 */
const heartbeatTimeout = '20 seconds';

/**
 * The activities that call cloro. They all run on the API task queue (`<taskQueue>-api`),
 * whose worker carries a server-side rate limit, so the request rate of every worker
 * together stays under cloro's 1,000 req/s. Eager dispatch is off: an eagerly dispatched
 * activity would run on the workflow's own worker and bypass that limit. Built per workflow
 * (not at module load) because the queue name derives from the workflow's.
 */
export function cloroApi() {
  const taskQueue = apiTaskQueue(workflowInfo().taskQueue);
  /**
   * Creating a task: keep retrying transient failures (5xx, 429, network) for a long while —
   * the same idempotency key makes each retry safe, and a 409 tells us an earlier one landed.
   */
  const { createTask } = proxyActivities<Activities>({
    taskQueue,
    allowEagerDispatch: false,
    startToCloseTimeout: '1 minute',
    heartbeatTimeout,
    scheduleToCloseTimeout: '6 hours',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes', nonRetryableErrorTypes },
  });
  /** Reads (a task, the queue, the balance): a failed read is not fatal, callers try again later. */
  const reads = proxyActivities<Activities>({
    taskQueue,
    allowEagerDispatch: false,
    startToCloseTimeout: '1 minute',
    heartbeatTimeout,
    scheduleToCloseTimeout: '15 minutes',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes },
  });
  return {
    createTask,
    fetchTask: reads.fetchTask,
    readQueueStatus: reads.readQueueStatus,
    readCredits: reads.readCredits,
    clearOrgQueue: reads.clearOrgQueue,
  };
}

/** Local work (prompt-set pages, Temporal itself), so it stays off the rate-limited cloro queue. */
export function localWork() {
  const { readPromptSetPage, findExistingPrompt } = proxyActivities<Activities>({
    startToCloseTimeout: '1 minute',
    heartbeatTimeout,
    retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
  });
  return { readPromptSetPage, findExistingPrompt };
}

/**
 * Writing an answer the store refused while cloro had already finished (and charged): retried
 * patiently on its own, not by re-polling cloro, until `horizonMs` — cloro deletes the task
 * 24 h after it ended. Each attempt re-reads the task, so the answer never passes through history.
 */
export function answerWrites(horizonMs: number) {
  const { storeAnswer } = proxyActivities<Activities>({
    taskQueue: apiTaskQueue(workflowInfo().taskQueue),
    allowEagerDispatch: false,
    startToCloseTimeout: '1 minute',
    heartbeatTimeout,
    scheduleToCloseTimeout: horizonMs,
    retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', nonRetryableErrorTypes },
  });
  return { storeAnswer };
}

/**
 * A monitor run's bookkeeping: preparing its cells, scoring its answers, pausing its schedule.
 * Database and Temporal work, off the cloro queue; scoring a large run reads every answer,
 * hence the longer start-to-close.
 */
export function monitorWork() {
  return proxyActivities<Activities>({
    startToCloseTimeout: '5 minutes',
    // Scoring a large run is CPU work between awaits: room for a long stretch without a beat.
    heartbeatTimeout: '1 minute',
    retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes },
  });
}

/**
 * Reading a prompt or batch another execution already runs under the key or batch id a user's
 * workflow asked with (workflows/child.ts). On the cloro worker's queue, since the caller's own
 * worker may have no cloro activities; Temporal work only, so off the rate-limited queue.
 */
export function existingRuns(cloroTaskQueue: string) {
  const { findExistingPrompt, findExistingBatch } = proxyActivities<Activities>({
    taskQueue: cloroTaskQueue,
    startToCloseTimeout: '1 minute',
    heartbeatTimeout,
    retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
  });
  return { findExistingPrompt, findExistingBatch };
}
