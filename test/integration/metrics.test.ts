/**
 * The worker's and the bridge's /metrics, scraped over HTTP after real prompts ran through
 * the simulator, the bridge and the dev server: the counts match what the run did.
 */
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { meteredNotifier } from '../../src/bridge/metered-notifier';
import { startBridge, type RunningBridge } from '../../src/bridge/server';
import { temporalNotifier } from '../../src/bridge/temporal-notifier';
import { callbackUrl } from '../../src/bridge/token';
import { activityMetrics } from '../../src/metrics/activity-metrics';
import { createBridgeMetrics } from '../../src/metrics/bridge-metrics';
import { startOpsServer } from '../../src/metrics/ops-server';
import { timedStore } from '../../src/metrics/timed-store';
import { createWorkerMetrics } from '../../src/metrics/worker-metrics';
import { createWorker, WORKFLOWS_PATH } from '../../src/temporal/worker';
import { quietBundlerLogger } from '../helpers/bundler-logger';
import { scrapeMetrics as scrape } from '../helpers/metrics';
import { BRIDGE_SECRET, type Harness, promptInput, runPrompt, startHarness, WEBHOOK_SECRET } from '../helpers/prompt-harness';
import { testNamespace, uniqueTaskQueue } from '../helpers/temporal';

describe('metrics of a run', () => {
  let h: Harness;
  let bundle: WorkflowBundleWithSourceMap;
  beforeAll(async () => {
    h = await startHarness();
    bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietBundlerLogger });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('counts creates, finished tasks, credits, store writes and webhooks as they happened', async () => {
    const workerMetrics = createWorkerMetrics();
    const bridgeMetrics = createBridgeMetrics();
    const bridge: RunningBridge = await startBridge({
      port: 0,
      notifier: meteredNotifier(temporalNotifier(h.client), bridgeMetrics),
      bridgeSecret: BRIDGE_SECRET,
      webhookSecret: WEBHOOK_SECRET,
      metrics: bridgeMetrics,
    });
    const workerOps = await startOpsServer({ port: 0, host: '127.0.0.1', ready: () => true, registry: workerMetrics.registry });
    const bridgeOps = await startOpsServer({ port: 0, host: '127.0.0.1', ready: () => true, registry: bridgeMetrics.registry });
    try {
      const deps = h.deps({ callbackUrl: (workflowId) => callbackUrl(bridge.url, BRIDGE_SECRET, workflowId) });
      const taskQueue = uniqueTaskQueue('metrics');
      const worker = await createWorker({
        connection: h.connection,
        namespace: testNamespace(),
        taskQueue,
        workflowBundle: bundle,
        deps: { ...deps, store: timedStore(deps.store, workerMetrics) },
        interceptors: { activity: [activityMetrics(workerMetrics)] },
      });
      const prompts = 3;
      const results = await worker.runUntil(
        Promise.all(Array.from({ length: prompts }, (_, i) => runPrompt(h, taskQueue, promptInput({ prompt: `metrics prompt ${i}` })))),
      );
      expect(results.map((r) => r.summary.status)).toEqual(Array(prompts).fill('COMPLETED'));
      const credits = results.reduce((sum, r) => sum + r.summary.creditsCharged, 0);
      expect(credits).toBeGreaterThan(0);

      const w = await scrape(workerOps.url);
      expect(w.get('cloro_creates_total{outcome="created"}')).toBe(prompts);
      expect(w.get('cloro_tasks_finished_total{status="COMPLETED"}')).toBe(prompts);
      expect(w.get('cloro_credits_charged_total')).toBe(credits);
      expect(w.get('cloro_store_write_duration_seconds_count{operation="saveSubmission",outcome="ok"}')).toBe(prompts);
      expect(w.get('cloro_store_write_duration_seconds_count{operation="saveOutcome",outcome="ok"}')).toBe(prompts);
      expect(w.get('cloro_activity_duration_seconds_count{activity="createTask",outcome="ok"}')).toBe(prompts);

      // Every prompt was woken by its webhook; each one the simulator sent was signalled.
      const b = await scrape(bridgeOps.url);
      const received = b.get('cloro_webhooks_received_total')!;
      expect(received).toBeGreaterThanOrEqual(prompts);
      expect(b.get('cloro_webhooks_accepted_total{outcome="signalled"}')).toBe(received);
      expect(b.get('cloro_webhook_signal_duration_seconds_count{outcome="signalled"}')).toBe(received);
    } finally {
      await workerOps.close();
      await bridgeOps.close();
      await bridge.close();
    }
  });
});
