/**
 * The worker's own Prometheus series (the Temporal SDK's are served by its runtime, see
 * src/temporal/runtime.ts). All are fed from activity results and store calls, never from
 * workflow code, so they cost nothing in history and cannot affect replay. Names carry the
 * `cloro_` prefix; label values come from small fixed sets (activity names, cloro's error
 * codes, task statuses) to keep cardinality bounded.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export function createWorkerMetrics(registry: Registry = new Registry()) {
  collectDefaultMetrics({ register: registry, prefix: 'cloro_worker_' });
  const registers = [registry];
  return {
    registry,
    activitySeconds: new Histogram({
      name: 'cloro_activity_duration_seconds',
      help: 'Activity executions by activity type and outcome (ok, failed, cancelled)',
      labelNames: ['activity', 'outcome'] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    errors: new Counter({
      name: 'cloro_errors_total',
      help: "Failed activity attempts by activity and cloro's error code (the failure type when cloro gave none)",
      labelNames: ['activity', 'code'] as const,
      registers,
    }),
    creates: new Counter({
      name: 'cloro_creates_total',
      help: 'Task creates by outcome: created, conflict_adopted (409, task found by key), conflict_unresolved (409, task not found by key: a possible orphan; real ones are cloro_orphans_total on the SDK endpoint)',
      labelNames: ['outcome'] as const,
      registers,
    }),
    resubmits: new Counter({
      name: 'cloro_resubmits_total',
      help: 'Creates under a resubmission key (<key>-rN): a FAILED or orphaned task submitted again',
      registers,
    }),
    tasksFinished: new Counter({
      name: 'cloro_tasks_finished_total',
      help: 'Terminal tasks read from cloro, by status',
      labelNames: ['status'] as const,
      registers,
    }),
    creditsCharged: new Counter({
      name: 'cloro_credits_charged_total',
      help: 'Credits cloro reported charged for the tasks this worker read as finished',
      registers,
    }),
    storeSeconds: new Histogram({
      name: 'cloro_store_write_duration_seconds',
      help: 'Results-store writes by operation and outcome (ok, error)',
      labelNames: ['operation', 'outcome'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers,
    }),
    queueTasks: new Gauge({
      name: 'cloro_queue_tasks',
      help: "cloro's org-wide queue at the last reading (the batch window's input), by state",
      labelNames: ['state'] as const,
      registers,
    }),
    queueConcurrencyMax: new Gauge({
      name: 'cloro_queue_concurrency_max',
      help: 'The plan concurrency cloro reported at the last reading (-1 while it reports none: maintenance)',
      registers,
    }),
  };
}

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;
