/**
 * The bridge against the real Temporal dev server (started once per run by the jest
 * globalSetup; reached through test/helpers/temporal). No worker runs: a started workflow
 * exists and accepts signals without one, and the signal shows up in its history — which
 * is exactly what the bridge promises (2xx only once Temporal has accepted the signal).
 * Run twice: the standalone bridge, and the plugin under a prefix in a user's Fastify app,
 * both given the Temporal client as `client`.
 */
import { createServer } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Client, Connection, WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import Fastify from 'fastify';
import { callbackUrl, cloroBridgePlugin, startBridge, type RunningBridge } from '../../src/package/bridge';
import { signWebhook } from '../../src/cloro/webhook-signature';
import { cloroTaskFinishedSignal } from '../../workflows/definitions';
import { testClient, testNamespace, uniqueTaskQueue } from '../helpers/temporal';

const BRIDGE_SECRET = `bridge-${randomUUID()}`;
const WEBHOOK_SECRET = 'whsec_integration_secret';
const RUN = randomUUID().slice(0, 8);
/** Nobody polls this queue: the workflows only exist to receive signals. */
const NO_WORKER_QUEUE = uniqueTaskQueue('bridge-it-no-worker');

let client: Client;
const started: WorkflowHandle[] = [];

interface BridgeHost {
  key: string;
  /** Whether it serves /healthz and /readyz (the standalone app does; a user's app has its own). */
  health: boolean;
  start(client: Client, signalTimeoutMs: number): Promise<RunningBridge>;
}

const HOSTS: BridgeHost[] = [
  {
    key: 'standalone',
    health: true,
    start: (temporal, signalTimeoutMs) =>
      startBridge({ port: 0, client: temporal, signalTimeoutMs, bridgeSecret: BRIDGE_SECRET, webhookSecret: WEBHOOK_SECRET }),
  },
  {
    key: 'user-app',
    health: false,
    async start(temporal, signalTimeoutMs) {
      const app = Fastify();
      await app.register(cloroBridgePlugin, {
        client: temporal,
        signalTimeoutMs,
        bridgeSecret: BRIDGE_SECRET,
        webhookSecret: WEBHOOK_SECRET,
        prefix: '/hooks',
      });
      const address = await app.listen({ port: 0, host: '127.0.0.1' });
      return { url: `${address}/hooks`, close: () => app.close() };
    },
  },
];

function taskDocument(taskId: string, idempotencyKey: string) {
  return {
    success: true,
    task: { id: taskId, taskType: 'CHATGPT', status: 'COMPLETED', priority: 1, createdAt: new Date().toISOString(), idempotencyKey },
    credits: { creditsToCharge: 5, creditsCharged: 5 },
    response: { model: 'gpt-4o', text: 'an answer', sources: [] },
  };
}

/** POST a signed webhook for `workflowId` the way cloro would. */
async function deliver(baseUrl: string, workflowId: string, body: unknown, url = callbackUrl(baseUrl, BRIDGE_SECRET, workflowId)) {
  const raw = JSON.stringify(body);
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-cloro-webhook-id': 'task-1', ...signWebhook(raw, WEBHOOK_SECRET) },
    body: raw,
  });
}

/** A workflow execution with nobody polling its task queue: it exists and takes signals. */
async function startIdleWorkflow(label: string): Promise<WorkflowHandle> {
  // Labels carry the host's key: each host's run starts its own workflows.
  const handle = await client.workflow.start('promptWorkflow', {
    workflowId: `bridge-it-${RUN}-${label}`,
    taskQueue: NO_WORKER_QUEUE,
    args: [],
  });
  started.push(handle);
  return handle;
}

async function signalEvents(handle: WorkflowHandle) {
  const history = await handle.fetchHistory();
  return (history.events ?? [])
    .map((event) => event.workflowExecutionSignaledEventAttributes)
    .filter((attrs): attrs is NonNullable<typeof attrs> => attrs !== null && attrs !== undefined);
}

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  client = await testClient();
});

afterAll(async () => {
  for (const handle of started) {
    await handle.terminate('bridge integration test done').catch((err: unknown) => {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    });
  }
  await client?.connection.close();
});

describe.each(HOSTS)('webhook bridge ($key) against a real Temporal server', (host) => {
  let bridge: RunningBridge;
  beforeAll(async () => {
    bridge = await host.start(client, 5_000);
  });
  afterAll(() => bridge?.close());
  const label = (name: string) => `${host.key}-${name}`;

  it('turns a valid webhook into exactly one cloroTaskFinished signal, then answers 200', async () => {
    const handle = await startIdleWorkflow(label('valid'));
    const res = await deliver(bridge.url, handle.workflowId, taskDocument('task-valid', 'key-valid'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ outcome: 'signalled' });

    // The 200 came after Temporal accepted the signal, so the event is already in history.
    const signals = await signalEvents(handle);
    expect(signals).toHaveLength(1);
    expect(signals[0]?.signalName).toBe(cloroTaskFinishedSignal.name);
    const payloads = signals[0]?.input?.payloads ?? [];
    expect(payloads).toHaveLength(1);
    expect(defaultPayloadConverter.fromPayload(payloads[0]!)).toEqual({
      taskId: 'task-valid',
      status: 'COMPLETED',
      idempotencyKey: 'key-valid',
    });
  });

  it('answers 200 for an unknown workflow and signals nothing', async () => {
    const workflowId = `bridge-it-${RUN}-${label('never-started')}`;
    const res = await deliver(bridge.url, workflowId, taskDocument('task-unknown', 'key-unknown'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ outcome: 'gone' });
    await expect(client.workflow.getHandle(workflowId).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });

  it('answers 200 for a workflow that already closed and adds nothing to its history', async () => {
    const handle = await startIdleWorkflow(label('closed'));
    await handle.terminate('closed before the webhook arrived');
    const res = await deliver(bridge.url, handle.workflowId, taskDocument('task-closed', 'key-closed'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ outcome: 'gone' });
    expect(await signalEvents(handle)).toHaveLength(0);
  });

  it('rejects a bad token with 401 and nothing reaches the workflow history', async () => {
    const handle = await startIdleWorkflow(label('bad-token'));
    const forged = callbackUrl(bridge.url, 'guessed-secret', handle.workflowId);
    const res = await deliver(bridge.url, handle.workflowId, taskDocument('task-forged', 'key-forged'), forged);
    expect(res.status).toBe(401);
    expect(await signalEvents(handle)).toHaveLength(0);
  });

  it('rejects a bad signature with 401 and nothing reaches the workflow history', async () => {
    const handle = await startIdleWorkflow(label('bad-signature'));
    const raw = JSON.stringify(taskDocument('task-unsigned', 'key-unsigned'));
    const res = await fetch(callbackUrl(bridge.url, BRIDGE_SECRET, handle.workflowId), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signWebhook(raw, 'whsec_someone_else') },
      body: raw,
    });
    expect(res.status).toBe(401);
    expect(await signalEvents(handle)).toHaveLength(0);
  });

  (host.health ? it : it.skip)('is ready while Temporal answers', async () => {
    expect((await fetch(`${bridge.url}/readyz`)).status).toBe(200);
  });

  it('answers 503 with Retry-After, promptly, when Temporal cannot be reached', async () => {
    const deadConnection = Connection.lazy({ address: `127.0.0.1:${await closedPort()}` });
    const deadClient = new Client({ connection: deadConnection, namespace: testNamespace() });
    const deadBridge = await host.start(deadClient, 1_500);
    try {
      const begin = Date.now();
      const res = await deliver(deadBridge.url, `bridge-it-${RUN}-${label('dead')}`, taskDocument('task-dead', 'key-dead'));
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(Date.now() - begin).toBeLessThan(10_000);
      if (host.health) {
        expect((await fetch(`${deadBridge.url}/readyz`)).status).toBe(503);
        expect((await fetch(`${deadBridge.url}/healthz`)).status).toBe(200);
      }
    } finally {
      await deadBridge.close();
      await deadConnection.close();
    }
  });
});
