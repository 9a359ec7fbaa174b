/**
 * Every curl example in cloro's docs (shared/cloro-docs), sent to the simulator, gets the
 * documented response shape. Bodies are parsed with the contract's schemas. The docs'
 * webhook URL (your-app.com) is replaced by a local receiver.
 */
import {
  CreateTaskResponseSchema,
  ErrorEnvelopeSchema,
  MonitorResponseSchema,
  StatusResponseSchema,
  TaskDocumentSchema,
  toCloroTask,
} from '../../../src/cloro/schemas';
import { startReceiver, startTestSimulator, until, type TestSimulator, type WebhookReceiver } from './helpers';

let sim: TestSimulator;
let receiver: WebhookReceiver;
beforeAll(async () => {
  sim = await startTestSimulator();
  receiver = await startReceiver(200);
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
});

const weatherTask = (idempotencyKey: string, extra: Record<string, unknown> = {}) => ({
  taskType: 'CHATGPT',
  idempotencyKey,
  webhook: { url: receiver.url },
  payload: { prompt: 'What is the weather in New York?', country: 'US' },
  ...extra,
});

describe('docs: create async task (POST /v1/async/task, priority 5)', () => {
  test('answers success with a QUEUED task, its priority and uncharged credits', async () => {
    const res = await sim.call('POST', '/v1/async/task', weatherTask('docs-create-1', { priority: 5 }));
    expect(res.status).toBe(200);
    const body = CreateTaskResponseSchema.parse(res.body);
    expect(body.success).toBe(true);
    expect(body.task).toMatchObject({
      taskType: 'CHATGPT',
      status: 'QUEUED',
      priority: 5,
      idempotencyKey: 'docs-create-1',
    });
    expect(body.task.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(body.task.createdAt).toISOString()).toBe(body.task.createdAt);
    expect(body.credits).toEqual({ creditsToCharge: 5, creditsCharged: null });
  });
});

describe('docs: async requests guide', () => {
  test('the 409 example: a reused idempotency key is RESOURCE_ALREADY_EXISTS naming the key', async () => {
    const key = 'abc12312233123441234451112322212222223';
    expect((await sim.call('POST', '/v1/async/task', weatherTask(key))).status).toBe(200);
    const res = await sim.call('POST', '/v1/async/task', weatherTask(key));
    expect(res.status).toBe(409);
    const body = ErrorEnvelopeSchema.parse(res.body);
    expect(res.body).toEqual({
      success: false,
      error: {
        code: 'RESOURCE_ALREADY_EXISTS',
        message: 'Task already exists',
        details: { field: 'idempotencyKey', value: key },
        timestamp: expect.any(String),
      },
    });
    expect(typeof body.error === 'object' && body.error.code).toBe('RESOURCE_ALREADY_EXISTS');
  });

  test('polling GET /v1/async/task/{id} ends with the full result, and the webhook carries the same document', async () => {
    const created = CreateTaskResponseSchema.parse((await sim.call('POST', '/v1/async/task', weatherTask('docs-poll-1'))).body);
    const first = TaskDocumentSchema.parse((await sim.call('GET', `/v1/async/task/${created.task.id}`)).body);
    expect(['QUEUED', 'PROCESSING']).toContain(first.task.status);
    expect(first.response).toBeUndefined();

    const read = () => sim.call('GET', `/v1/async/task/${created.task.id}`);
    await until(async () => (await read()).body.webhook?.delivered === true);
    const res = await read();
    expect(res.status).toBe(200);
    const doc = TaskDocumentSchema.parse(res.body);
    const task = toCloroTask(doc);
    expect(task.status).toBe('COMPLETED');
    expect(doc.credits).toEqual({ creditsToCharge: 5, creditsCharged: 5 });
    expect(doc.task.latencyMs).toBeGreaterThan(0);
    expect(doc.webhook).toMatchObject({ url: receiver.url, delivered: true });
    if (task.status !== 'COMPLETED') throw new Error('unreachable');
    expect(task.result.model).toBe('gpt-5-mini');
    expect(task.result.text).toContain('New York');
    for (const source of task.result.sources ?? []) {
      expect(source).toEqual({
        position: expect.any(Number),
        url: expect.any(String),
        label: expect.any(String),
        description: expect.any(String),
      });
    }

    const hook = receiver.received.find((w) => w.headers['x-cloro-webhook-id'] === `${created.task.id}-1`);
    const webhookDoc = TaskDocumentSchema.parse(JSON.parse(hook?.raw.toString() ?? ''));
    expect(webhookDoc.task).toMatchObject({ id: created.task.id, status: 'COMPLETED', idempotencyKey: 'docs-poll-1' });
    expect(webhookDoc.response).toEqual(doc.response);
    expect(webhookDoc.credits).toEqual(doc.credits);
  });

  test('the older /v1/task paths of the first guide still create and read tasks', async () => {
    const res = await sim.call('POST', '/v1/task', weatherTask('docs-legacy-1'));
    expect(res.status).toBe(200);
    const created = CreateTaskResponseSchema.parse(res.body);
    const read = await sim.call('GET', `/v1/task/${created.task.id}`);
    expect(TaskDocumentSchema.parse(read.body).task.id).toBe(created.task.id);
  });
});

describe('docs: synchronous request (POST /v1/monitor/chatgpt)', () => {
  test('answers the result inline with markdown and an html link when asked for', async () => {
    const res = await sim.call('POST', '/v1/monitor/chatgpt', {
      prompt: 'What do you know about Acme Corp?',
      country: 'US',
      include: { markdown: true, html: true },
    });
    expect(res.status).toBe(200);
    const { result } = MonitorResponseSchema.parse(res.body);
    expect(result.text).toContain('Acme Corp');
    expect(result.markdown).toContain('**Acme Corp**');
    expect(result.sources?.length).toBeGreaterThan(0);
    expect(typeof result.html).toBe('string');
    const page = await fetch(result.html as string);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Acme Corp');
  });
});

describe('docs: get async status (GET /v1/async/status)', () => {
  test('answers queue counts, the priority breakdown and concurrency', async () => {
    const res = await sim.call('GET', '/v1/async/status');
    expect(res.status).toBe(200);
    const status = StatusResponseSchema.parse(res.body);
    expect(Object.keys(res.body).sort()).toEqual(['concurrency', 'priorityBreakdown', 'processingTasks', 'queuedTasks']);
    expect(status.concurrency).toEqual({ used: status.processingTasks, max: 10 });
  });
});
