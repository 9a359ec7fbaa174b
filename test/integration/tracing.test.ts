/**
 * OpenTelemetry tracing end to end: a prompt started through a traced client, run by traced
 * workers against the dev server and the simulator, arrives at a local OTLP/HTTP receiver
 * (a Fastify app on loopback standing in for a collector) as one trace: client start →
 * workflow → activity → cloro HTTP call.
 */
import { Client } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import Fastify, { type FastifyInstance } from 'fastify';
import { startPrompt } from '../../src/prompts/start';
import { createWorker, WORKFLOWS_PATH } from '../../src/temporal/worker';
import { startTracing } from '../../src/tracing/tracing';
import { quietBundlerLogger } from '../helpers/bundler-logger';
import { API_KEY, BRIDGE_SECRET, type Harness, promptInput, startHarness, WEBHOOK_SECRET } from '../helpers/prompt-harness';
import { testNamespace, uniqueTaskQueue } from '../helpers/temporal';

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: string | number };
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: OtlpAttribute[];
}
interface OtlpExport {
  resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[];
}

/** What a collector would receive: the raw bodies (to search for leaks) and the spans in them. */
async function startReceiver(): Promise<{ app: FastifyInstance; url: string; bodies: string[]; spans: () => OtlpSpan[] }> {
  const bodies: string[] = [];
  const app = Fastify();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.post('/v1/traces', async (req) => {
    bodies.push(req.body as string);
    return {};
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const spans = () =>
    bodies.flatMap((body) => (JSON.parse(body) as OtlpExport).resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));
  return { app, url, bodies, spans };
}

const PROMPT = 'Tracing test prompt: which CRM fits a bakery?';

const attribute = (span: OtlpSpan, key: string) => span.attributes?.find((a) => a.key === key)?.value;

describe('tracing', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('sends one trace from the client start through the workflow and its activities to the cloro call, without prompt text or secrets', async () => {
    const receiver = await startReceiver();
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

      expect(attribute(start!, 'temporalWorkflowId')?.stringValue).toBe(workflowId);
      expect(attribute(runCreate!, 'temporalWorkflowId')?.stringValue).toBe(workflowId);
      expect(attribute(create!, 'http.response.status_code')?.intValue?.toString()).toMatch(/^2\d\d$/);

      // Nothing a collector stores may carry the prompt or a secret.
      const exported = receiver.bodies.join('\n');
      for (const secret of [PROMPT, API_KEY, BRIDGE_SECRET, WEBHOOK_SECRET]) expect(exported).not.toContain(secret);
    } finally {
      await tracing.shutdown();
      await receiver.app.close();
    }
  });
});
