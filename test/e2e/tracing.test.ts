/**
 * Tracing as a user turns it on: OTEL_EXPORTER_OTLP_ENDPOINT on a `worker` process (which
 * bundles the workflow interceptors itself) and on `submit`, one trace across both processes;
 * and on a `bridge` process, whose signal for a webhook the worker's handling of it joins.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { findFreePort } from '../../src/temporal/ports';
import { promptWorkflowId } from '../../workflows/definitions';
import { ensureBuilt } from '../helpers/build';
import { killAllCli, runCli, spawnCli, testCliEnv } from '../helpers/cli';
import { type OtlpReceiver, spanAttribute, startOtlpReceiver } from '../helpers/otlp-receiver';
import { uniqueTaskQueue } from '../helpers/temporal';

const API_KEY = 'sk_test_e2e_tracing';
const PROMPT = 'Which CRM should a bakery pick? (e2e tracing)';

let home: string;
let sim: RunningSimulator;
let receiver: OtlpReceiver;

beforeAll(async () => {
  await ensureBuilt();
  home = await mkdtemp(path.join(os.tmpdir(), 'cloro-tracing-e2e-'));
  sim = await startSimulator({ port: 0, apiKey: API_KEY, processingMs: { min: 200, max: 400 }, seed: 3 });
  receiver = await startOtlpReceiver();
}, 240_000);

afterAll(async () => {
  await killAllCli();
  await sim?.close();
  await receiver?.close();
  if (home) await rm(home, { recursive: true, force: true });
});

it('traces `submit` and the worker process that runs the prompt as one trace, down to the cloro call', async () => {
  const env = testCliEnv({ url: sim.url, apiKey: API_KEY }, home, {
    CLORO_TASK_QUEUE: uniqueTaskQueue('tracing-e2e'),
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
  });
  const worker = spawnCli(['worker'], env);
  await worker.waitForOutput(/worker on task queue/, 90_000);

  const key = `e2e-tracing-${randomUUID()}`;
  const args = ['submit', '--type', 'CHATGPT', '--prompt', PROMPT, '--key', key, '--delivery', 'poll', '--wait', '--json'];
  const submitted = await runCli(args, env, 60_000);
  expect({ code: submitted.code, stderr: submitted.stderr }).toEqual({ code: 0, stderr: '' });
  expect(JSON.parse(submitted.stdout.trim())).toMatchObject({ status: 'COMPLETED' });
  const workflowId = promptWorkflowId(key);
  // The worker sends what it still holds as it stops.
  expect(await worker.stop('SIGTERM')).toMatchObject({ code: 0 });

  const spans = receiver.spans();
  const start = spans.find(
    (s) => s.name === 'StartWorkflow:promptWorkflow' && spanAttribute(s, 'temporalWorkflowId')?.stringValue === workflowId,
  );
  expect(start?.service).toBe('cloro-temporal-cli');
  const trace = spans.filter((s) => s.traceId === start?.traceId);
  const byName = (name: string) => trace.find((s) => s.name === name);
  expect(byName('RunWorkflow:promptWorkflow')?.service).toBe('cloro-temporal-worker');
  const runCreate = byName('RunActivity:createTask');
  expect(runCreate?.service).toBe('cloro-temporal-worker');
  expect(byName('cloro POST /v1/async/task')?.parentSpanId).toBe(runCreate?.spanId);
  expect(byName('cloro GET /v1/async/task/{id}')).toBeDefined();
  expect(receiver.bodies.join('\n')).not.toContain(PROMPT);
  expect(receiver.bodies.join('\n')).not.toContain(API_KEY);
});

it("traces the bridge's signal for a webhook, and the worker's handling of it joins that trace", async () => {
  const bridgePort = await findFreePort();
  const env = testCliEnv({ url: sim.url, apiKey: API_KEY }, home, {
    CLORO_TASK_QUEUE: uniqueTaskQueue('tracing-bridge-e2e'),
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    BRIDGE_PORT: String(bridgePort),
    BRIDGE_PUBLIC_URL: `http://127.0.0.1:${bridgePort}`,
  });
  // Both read the bridge secret from the same state dir, so the worker's callback tokens verify.
  const bridge = spawnCli(['bridge'], env);
  await bridge.waitForOutput(/ready for cloro webhooks/, 30_000);
  const worker = spawnCli(['worker'], env);
  await worker.waitForOutput(/worker on task queue/, 90_000);

  const key = `e2e-tracing-bridge-${randomUUID()}`;
  const args = ['submit', '--type', 'CHATGPT', '--prompt', PROMPT, '--key', key, '--delivery', 'webhook', '--wait', '--json'];
  const submitted = await runCli(args, env, 60_000);
  expect({ code: submitted.code, stderr: submitted.stderr }).toEqual({ code: 0, stderr: '' });
  expect(JSON.parse(submitted.stdout.trim())).toMatchObject({ status: 'COMPLETED' });
  expect(await worker.stop('SIGTERM')).toMatchObject({ code: 0 });
  expect(await bridge.stop('SIGTERM')).toMatchObject({ code: 0 });

  const spans = receiver.spans();
  const signal = spans.find(
    (s) => s.name === 'SignalWorkflow:cloroTaskFinished' && spanAttribute(s, 'temporalWorkflowId')?.stringValue === promptWorkflowId(key),
  );
  expect(signal?.service).toBe('cloro-temporal-bridge');
  const handled = spans.find((s) => s.name === 'HandleSignal:cloroTaskFinished' && s.parentSpanId === signal?.spanId);
  expect(handled).toMatchObject({ service: 'cloro-temporal-worker', traceId: signal?.traceId });
  expect(receiver.bodies.join('\n')).not.toContain(API_KEY);
});
