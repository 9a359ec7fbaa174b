import { TaskDocumentSchema } from '../../../src/cloro/schemas';
import { verifyWebhookSignature } from '../../../src/cloro/webhook-signature';
import { chatgptTask, sleep, startReceiver, startTestSimulator, until, type TestSimulator, type WebhookReceiver } from './helpers';

let sim: TestSimulator | undefined;
let receiver: WebhookReceiver | undefined;
afterEach(async () => {
  await sim?.close();
  await receiver?.close();
  sim = receiver = undefined;
});

const MINUTE = 60_000;

async function createWithWebhook(s: TestSimulator, url: string, key = 'hooked'): Promise<string> {
  const res = await s.call('POST', '/v1/async/task', chatgptTask('Is Acme Corp any good?', { idempotencyKey: key, webhook: { url } }));
  return res.body.task.id;
}

describe('webhooks', () => {
  test('a signed webhook verifies with verifyWebhookSignature and carries the GET document', async () => {
    const secret = 'whsec_test_secret';
    receiver = await startReceiver(200);
    sim = await startTestSimulator({ webhookSecret: secret });
    const id = await createWithWebhook(sim, receiver.url);
    await sim.sim.idle();

    expect(receiver.received).toHaveLength(1);
    const [hook] = receiver.received;
    if (!hook) throw new Error('no webhook');
    expect(() => verifyWebhookSignature(hook.raw, hook.headers, secret)).not.toThrow();
    expect(() => verifyWebhookSignature(hook.raw, hook.headers, 'whsec_other')).toThrow(/does not match/);
    expect(hook.headers['x-cloro-webhook-id']).toBe(`${id}-1`);
    expect(hook.headers['content-type']).toBe('application/json');
    const body = TaskDocumentSchema.parse(JSON.parse(hook.raw.toString()));
    expect(body.task).toMatchObject({ id, status: 'COMPLETED', idempotencyKey: 'hooked' });

    const doc = TaskDocumentSchema.parse((await sim.call('GET', `/v1/async/task/${id}`)).body);
    expect(doc.webhook).toEqual({ url: receiver.url, delivered: true, deliveredAt: expect.any(String) });
    expect(sim.sim.stats().webhooks).toMatchObject({ attempts: 1, delivered: 1, failed: 0, gaveUp: 0 });
  });

  test('retries a failing receiver ~2, 4, 8, 16 minutes apart and gives up after 5 attempts', async () => {
    receiver = await startReceiver(500);
    sim = await startTestSimulator({ timeScale: 1_000 });
    const id = await createWithWebhook(sim, receiver.url);
    await sim.sim.idle(); // settles only when cloro gives up
    await sleep(100);

    expect(receiver.received).toHaveLength(5);
    expect(receiver.received.map((w) => w.headers['x-cloro-webhook-id'])).toEqual([1, 2, 3, 4, 5].map((n) => `${id}-${n}`));
    const attempts = sim.sim.stats().webhooks.byTask[id] ?? [];
    expect(attempts.map((a) => [a.attempt, a.outcome, a.status])).toEqual([1, 2, 3, 4, 5].map((n) => [n, 'failed', 500]));
    const gaps = attempts.slice(1).map((a, i) => a.cloroTime - (attempts[i]?.cloroTime ?? 0));
    [2, 4, 8, 16].forEach((minutes, i) => {
      // Each gap is the scheduled delay plus one round trip; at 1000× a millisecond of jitter is a cloro second.
      expect(gaps[i]).toBeGreaterThanOrEqual(minutes * MINUTE);
      expect(gaps[i]).toBeLessThan(minutes * MINUTE * 1.15);
    });
    // The receiver saw the same spacing in real time, scaled down 1000×.
    const realGaps = receiver.received.slice(1).map((w, i) => w.at - (receiver?.received[i]?.at ?? 0));
    [120, 240, 480, 960].forEach((ms, i) => expect(Math.abs((realGaps[i] ?? 0) - ms)).toBeLessThan(80));

    expect(sim.sim.stats().webhooks).toMatchObject({ attempts: 5, failed: 5, delivered: 0, gaveUp: 1 });
    const doc = TaskDocumentSchema.parse((await sim.call('GET', `/v1/async/task/${id}`)).body);
    expect(doc.webhook).toMatchObject({ delivered: false, deliveredAt: null });
  });

  test('stops retrying once an attempt is answered 2xx', async () => {
    receiver = await startReceiver((n) => (n < 3 ? 503 : 204));
    sim = await startTestSimulator({ timeScale: 10_000 });
    const id = await createWithWebhook(sim, receiver.url);
    await sim.sim.idle();
    expect(sim.sim.stats().webhooks.byTask[id]?.map((a) => a.outcome)).toEqual(['failed', 'failed', 'delivered']);
  });

  test('an unreachable receiver counts as a failed attempt (network error) and is retried', async () => {
    receiver = await startReceiver(200);
    const url = receiver.url;
    await receiver.close();
    receiver = undefined;
    sim = await startTestSimulator({ timeScale: 100_000 });
    const id = await createWithWebhook(sim, url);
    await sim.sim.idle();
    const attempts = sim.sim.stats().webhooks.byTask[id] ?? [];
    expect(attempts).toHaveLength(5);
    expect(attempts.every((a) => a.outcome === 'error' && a.status === null && typeof a.error === 'string')).toBe(true);
  });

  test('fires for FAILED tasks too', async () => {
    receiver = await startReceiver(200);
    sim = await startTestSimulator({ failureRate: 1 });
    await createWithWebhook(sim, receiver.url);
    await sim.sim.idle();
    const body = TaskDocumentSchema.parse(JSON.parse(receiver.received[0]?.raw.toString() ?? ''));
    expect(body.task.status).toBe('FAILED');
    expect(body.credits.creditsCharged).toBe(0);
    expect(body.response).toEqual({ error: { code: 'INTERNAL_SERVER_ERROR', message: 'Task failed after max retries' } });
  });
});

describe('webhook faults', () => {
  test('a dropped attempt never reaches the receiver and is retried on schedule', async () => {
    receiver = await startReceiver(200);
    sim = await startTestSimulator({ timeScale: 10_000, faults: { webhooks: { drop: { count: 1 } } } });
    const id = await createWithWebhook(sim, receiver.url);
    await sim.sim.idle();
    expect(receiver.received.map((w) => w.headers['x-cloro-webhook-id'])).toEqual([`${id}-2`]);
    expect(sim.sim.stats().webhooks.byTask[id]?.map((a) => a.outcome)).toEqual(['dropped', 'delivered']);
  });

  test('dropAllAttempts loses every attempt: the webhook never arrives', async () => {
    receiver = await startReceiver(200);
    sim = await startTestSimulator({ timeScale: 100_000, faults: { webhooks: { dropAllAttempts: { count: 1 } } } });
    const lost = await createWithWebhook(sim, receiver.url, 'lost');
    await sim.sim.idle();
    const kept = await createWithWebhook(sim, receiver.url, 'kept');
    await sim.sim.idle();
    expect(sim.sim.stats().webhooks.byTask[lost]?.map((a) => a.outcome)).toEqual(Array(5).fill('dropped'));
    expect(receiver.received.map((w) => w.headers['x-cloro-webhook-id'])).toEqual([`${kept}-1`]);
    expect(sim.sim.stats().webhooks.gaveUp).toBe(1);
  });

  test('a duplicated webhook arrives twice with the same webhook id', async () => {
    receiver = await startReceiver(200);
    sim = await startTestSimulator({ faults: { webhooks: { duplicate: { count: 1 } } } });
    const id = await createWithWebhook(sim, receiver.url);
    await sim.sim.idle();
    expect(receiver.received.map((w) => w.headers['x-cloro-webhook-id'])).toEqual([`${id}-1`, `${id}-1`]);
    expect(receiver.received[0]?.raw.equals(receiver.received[1]?.raw ?? Buffer.alloc(0))).toBe(true);
    expect(sim.sim.stats().webhooks).toMatchObject({ attempts: 1, delivered: 1, duplicates: 1 });
  });

  test('a delayed webhook leaves the given real milliseconds late', async () => {
    receiver = await startReceiver(200);
    sim = await startTestSimulator({ faults: { webhooks: { delay: { ms: 300, count: 1 } } } });
    let finishedAt = 0;
    sim.sim.on('task:finished', () => (finishedAt = Date.now()));
    await createWithWebhook(sim, receiver.url);
    await until(() => receiver?.received.length === 1);
    expect((receiver.received[0]?.at ?? 0) - finishedAt).toBeGreaterThanOrEqual(290);
  });
});
