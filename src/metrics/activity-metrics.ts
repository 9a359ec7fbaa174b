/**
 * An activity interceptor that turns what activities already return into the worker's
 * series: durations and failures of every activity, and from the results of the cloro
 * activities the creates, 409s, resubmissions, finished tasks, credits and queue readings.
 * Reading results here keeps the activities themselves free of metrics code.
 */
import { CancelledFailure } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { CloroError } from '../cloro/errors';
import type { CreateTaskInput, CreateTaskOutcome, FetchTaskOutcome, QueueReading } from '../../workflows/definitions';
import type { WorkerMetrics } from './worker-metrics';

/** workflows/prompt-attempts.ts names resubmissions `<key>-rN`. */
const RESUBMISSION_KEY = /-r\d+$/;

export function activityMetrics(metrics: WorkerMetrics): ActivityInterceptorsFactory {
  return (ctx) => ({
    inbound: {
      async execute(input, next) {
        const activity = ctx.info.activityType;
        const end = metrics.activitySeconds.startTimer({ activity });
        try {
          const result = await next(input);
          end({ outcome: 'ok' });
          recordResult(metrics, activity, input.args, result);
          return result;
        } catch (err) {
          const cancelled = err instanceof CancelledFailure || ctx.cancellationSignal.aborted;
          end({ outcome: cancelled ? 'cancelled' : 'failed' });
          if (!cancelled) metrics.errors.inc({ activity, code: errorCode(err) });
          throw err;
        }
      },
    },
  });
}

function recordResult(metrics: WorkerMetrics, activity: string, args: unknown[], result: unknown): void {
  if (activity === 'createTask') {
    const outcome = result as CreateTaskOutcome;
    const label = outcome.kind === 'created' ? 'created' : outcome.adoptedTaskId ? 'conflict_adopted' : 'conflict_unresolved';
    metrics.creates.inc({ outcome: label });
    if (RESUBMISSION_KEY.test((args[0] as CreateTaskInput).idempotencyKey)) metrics.resubmits.inc();
  } else if (activity === 'fetchTask') {
    const outcome = result as FetchTaskOutcome;
    if (outcome.status !== 'COMPLETED' && outcome.status !== 'FAILED') return;
    metrics.tasksFinished.inc({ status: outcome.status });
    if (outcome.status === 'COMPLETED') metrics.creditsCharged.inc(outcome.creditsCharged);
  } else if (activity === 'readQueueStatus') {
    const reading = result as QueueReading;
    metrics.queueTasks.set({ state: 'queued' }, reading.queuedTasks);
    metrics.queueTasks.set({ state: 'processing' }, reading.processingTasks);
    metrics.queueConcurrencyMax.set(reading.concurrencyMax ?? -1);
  }
}

/** cloro's own code when the failure came from cloro (toApplicationFailure keeps it as the cause), else the failure's type. */
function errorCode(err: unknown): string {
  const cause = (err as { cause?: unknown } | undefined)?.cause;
  if (cause instanceof CloroError) return cause.code;
  if (err instanceof CloroError) return err.code;
  const type = (err as { type?: unknown; name?: unknown } | undefined)?.type ?? (err as { name?: unknown } | undefined)?.name;
  return typeof type === 'string' ? type : 'Error';
}
