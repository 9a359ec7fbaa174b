import { ApplicationFailure } from '@temporalio/common';
import { CloroError } from '../../src/cloro/errors';
import { activityMetrics } from '../../src/metrics/activity-metrics';
import { timedStore } from '../../src/metrics/timed-store';
import { createWorkerMetrics, type WorkerMetrics } from '../../src/metrics/worker-metrics';
import { startOpsServer } from '../../src/metrics/ops-server';
import { metricValue } from '../helpers/metrics';

/** Runs one activity execution through the interceptor, as the worker would. */
async function execute(metrics: WorkerMetrics, activityType: string, args: unknown[], run: () => Promise<unknown>): Promise<unknown> {
  const ctx = { info: { activityType }, cancellationSignal: new AbortController().signal };
  const interceptors = activityMetrics(metrics)(ctx as never);
  return interceptors.inbound!.execute!({ args, headers: {} }, run);
}

const value = (metrics: WorkerMetrics, name: string, labels: Record<string, string> = {}) => metricValue(metrics.registry, name, labels);

describe('worker metrics', () => {
  it('counts creates, 409s and resubmissions from createTask results', async () => {
    const metrics = createWorkerMetrics();
    const create = (key: string, outcome: unknown) => execute(metrics, 'createTask', [{ idempotencyKey: key }], async () => outcome);
    await create('k1', { kind: 'created', taskId: 't1', webhook: true, creditsToCharge: 5 });
    await create('k2-r1', { kind: 'created', taskId: 't2', webhook: true, creditsToCharge: 5 });
    await create('k3', { kind: 'conflict', webhook: true, adoptedTaskId: 't3' });
    await create('k4', { kind: 'conflict', webhook: true, adoptedTaskId: null });
    expect(await value(metrics, 'cloro_creates_total', { outcome: 'created' })).toBe(2);
    expect(await value(metrics, 'cloro_creates_total', { outcome: 'conflict_adopted' })).toBe(1);
    expect(await value(metrics, 'cloro_creates_total', { outcome: 'conflict_unresolved' })).toBe(1);
    expect(await value(metrics, 'cloro_resubmits_total')).toBe(1);
    expect(await value(metrics, 'cloro_activity_duration_seconds', { activity: 'createTask', outcome: 'ok' })).toBe(4);
  });

  it('adds up credits and terminal statuses from fetchTask, ignoring unfinished reads', async () => {
    const metrics = createWorkerMetrics();
    const fetch = (outcome: unknown) => execute(metrics, 'fetchTask', [{}], async () => outcome);
    await fetch({ status: 'PROCESSING' });
    await fetch({ status: 'COMPLETED', creditsCharged: 7, model: null, textLength: 1, sourcesCount: 0, resultRef: 'r' });
    await fetch({ status: 'COMPLETED', creditsCharged: 3, model: null, textLength: 1, sourcesCount: 0, resultRef: 'r' });
    await fetch({ status: 'FAILED', error: { code: 'X', message: 'x' }, transient: false, resultRef: 'r' });
    expect(await value(metrics, 'cloro_credits_charged_total')).toBe(10);
    expect(await value(metrics, 'cloro_tasks_finished_total', { status: 'COMPLETED' })).toBe(2);
    expect(await value(metrics, 'cloro_tasks_finished_total', { status: 'FAILED' })).toBe(1);
  });

  it("labels failures with cloro's error code, or the failure type when cloro gave none", async () => {
    const metrics = createWorkerMetrics();
    const cloroError = new CloroError({ status: 429, code: 'RATE_LIMITED', message: 'slow down', details: null });
    const failure = ApplicationFailure.create({ type: 'CloroRateLimited', message: 'slow down', cause: cloroError });
    await expect(execute(metrics, 'createTask', [{ idempotencyKey: 'k' }], () => Promise.reject(failure))).rejects.toBe(failure);
    const storeFailure = ApplicationFailure.retryable('disk full', 'StoreWriteFailed');
    await expect(execute(metrics, 'storeAnswer', [{}], () => Promise.reject(storeFailure))).rejects.toBe(storeFailure);
    expect(await value(metrics, 'cloro_errors_total', { activity: 'createTask', code: 'RATE_LIMITED' })).toBe(1);
    expect(await value(metrics, 'cloro_errors_total', { activity: 'storeAnswer', code: 'StoreWriteFailed' })).toBe(1);
    expect(await value(metrics, 'cloro_activity_duration_seconds', { activity: 'createTask', outcome: 'failed' })).toBe(1);
  });

  it("keeps the last queue reading, -1 for cloro's maintenance answer", async () => {
    const metrics = createWorkerMetrics();
    await execute(metrics, 'readQueueStatus', [], async () => ({ queuedTasks: 4, processingTasks: 10, concurrencyMax: 10 }));
    expect(await value(metrics, 'cloro_queue_tasks', { state: 'queued' })).toBe(4);
    expect(await value(metrics, 'cloro_queue_concurrency_max')).toBe(10);
    await execute(metrics, 'readQueueStatus', [], async () => ({ queuedTasks: 0, processingTasks: 0, concurrencyMax: null }));
    expect(await value(metrics, 'cloro_queue_concurrency_max')).toBe(-1);
  });

  it('times store writes by operation and outcome, and leaves reads alone', async () => {
    const metrics = createWorkerMetrics();
    const store = {
      saveOutcome: async (id: string) => `ref-${id}`,
      saveSubmission: async () => Promise.reject(new Error('down')),
      getRecord: async () => 'record',
    };
    const timed = timedStore(store, metrics);
    await expect(timed.saveOutcome('a')).resolves.toBe('ref-a');
    await expect(timed.saveSubmission()).rejects.toThrow('down');
    await expect(timed.getRecord()).resolves.toBe('record');
    expect(timed.getRecord).toBe(store.getRecord);
    expect(await value(metrics, 'cloro_store_write_duration_seconds', { operation: 'saveOutcome', outcome: 'ok' })).toBe(1);
    expect(await value(metrics, 'cloro_store_write_duration_seconds', { operation: 'saveSubmission', outcome: 'error' })).toBe(1);
  });

  it('serves the series on /metrics in the Prometheus text format', async () => {
    const metrics = createWorkerMetrics();
    await execute(metrics, 'fetchTask', [{}], async () => ({ status: 'COMPLETED', creditsCharged: 5, resultRef: 'r' }));
    const server = await startOpsServer({ port: 0, host: '127.0.0.1', ready: () => true, registry: metrics.registry });
    try {
      const res = await fetch(`${server.url}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = await res.text();
      expect(text).toMatch(/^cloro_credits_charged_total 5$/m);
      expect(text).toContain('# TYPE cloro_activity_duration_seconds histogram');
      expect(text).toContain('cloro_worker_process_cpu_seconds_total');
    } finally {
      await server.close();
    }
  });
});
