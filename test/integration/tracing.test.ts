/**
 * OpenTelemetry tracing end to end: a prompt started through a traced client, run by traced
 * workers against the dev server and the simulator, arrives at a local OTLP/HTTP receiver
 * (standing in for a collector) as one trace: client start → workflow → activity → cloro
 * HTTP call. test/e2e/tracing.test.ts does the same across CLI and worker processes.
 */
import { Client } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startPrompt } from '../../src/prompts/start';
import { createWorker, WORKFLOWS_PATH } from '../../src/temporal/worker';
import { startTracing } from '../../src/tracing/tracing';
import { quietBundlerLogger } from '../helpers/bundler-logger';
import { spanAttribute, startOtlpReceiver } from '../helpers/otlp-receiver';
import { API_KEY, BRIDGE_SECRET, type Harness, promptInput, startHarness, WEBHOOK_SECRET } from '../helpers/prompt-harness';
import { testNamespace, uniqueTaskQueue } from '../helpers/temporal';

const PROMPT = 'Tracing test prompt: which CRM fits a bakery?';

describe('tracing', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('sends one trace from the client start through the workflow and its activities to the cloro call, without prompt text or secrets', async () => {
    const receiver = await startOtlpReceiver();
    const tracing = startTracing({ enabled: true, otlpEndpoint: receiver.url, serviceName: undefined }, 'tracing-test');
    if (!tracing) throw new Error('tracing should be on');
    try {
      // The workflow interceptors must be in the bundle: a pre-built bundle ignores the worker's workflowModules.
      const workflowBundle = await bundleWorkflowCode({
        workflowsPath: WORKFLOWS_PATH,
        logger: quietBundlerLogger,
        plugins: [tracing.plugin],
      });
      const client = new Client({ connection: h.client.connection, namespace: testNamespace(), plugins: [tracing.plugin] });
      const taskQueue = uniqueTaskQueue('tracing');
      const worker = await createWorker({
        connection: h.connection,
        namespace: testNamespace(),
        taskQueue,
        workflowBundle,
        deps: h.deps(),
        plugins: [tracing.plugin],
      });
      const input = promptInput({ prompt: PROMPT });
      const { workflowId, summary } = await worker.runUntil(
        (async () => {
          const started = await startPrompt(client, input, taskQueue);
          return { workflowId: started.workflowId, summary: await started.handle.result() };
        })(),
      );
      expect(summary.status).toBe('COMPLETED');
      await tracing.shutdown();

      const spans = receiver.spans();
      const named = (name: string) => spans.find((s) => s.name === name);
      const start = named('StartWorkflow:promptWorkflow');
      const run = named('RunWorkflow:promptWorkflow');
      const scheduleCreate = named('StartActivity:createTask');
      const runCreate = named('RunActivity:createTask');
      const create = named('cloro POST /v1/async/task');
      const fetches = spans.filter((s) => s.name === 'cloro GET /v1/async/task/{id}');
      expect([start, run, scheduleCreate, runCreate, create].map((s) => s?.name)).toEqual([
        'StartWorkflow:promptWorkflow',
        'RunWorkflow:promptWorkflow',
        'StartActivity:createTask',
        'RunActivity:createTask',
        'cloro POST /v1/async/task',
      ]);
      expect(fetches.length).toBeGreaterThan(0);

      // One trace, each span the child of the one before.
      const traceIds = new Set([start, run, scheduleCreate, runCreate, create, ...fetches].map((s) => s?.traceId));
      expect(traceIds).toEqual(new Set([start?.traceId]));
      expect(run?.parentSpanId).toBe(start?.spanId);
      expect(scheduleCreate?.parentSpanId).toBe(run?.spanId);
      expect(runCreate?.parentSpanId).toBe(scheduleCreate?.spanId);
      expect(create?.parentSpanId).toBe(runCreate?.spanId);

      expect(spanAttribute(start!, 'temporalWorkflowId')?.stringValue).toBe(workflowId);
      expect(spanAttribute(runCreate!, 'temporalWorkflowId')?.stringValue).toBe(workflowId);
      expect(spanAttribute(create!, 'http.response.status_code')?.intValue?.toString()).toMatch(/^2\d\d$/);

      // Nothing a collector stores may carry the prompt or a secret.
      const exported = receiver.bodies.join('\n');
      for (const secret of [PROMPT, API_KEY, BRIDGE_SECRET, WEBHOOK_SECRET]) expect(exported).not.toContain(secret);
    } finally {
      await tracing.shutdown();
      await receiver.close();
    }
  });
});
