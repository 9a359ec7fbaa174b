import {
  BatchCreateResponseSchema,
  ClearQueueResponseSchema,
  CountriesResponseSchema,
  CreateTaskResponseSchema,
  CreditsBalanceSchema,
  ErrorEnvelopeSchema,
  StatusResponseSchema,
} from '../../../src/cloro/schemas';
import { chatgptTask, startTestSimulator, until, type TestSimulator } from './helpers';

let sim: TestSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** One slot busy for an hour of cloro time (3.6 s real): everything created after it stays QUEUED. */
async function simulatorWithBusySlot(options: Parameters<typeof startTestSimulator>[0] = {}): Promise<TestSimulator> {
  const s = await startTestSimulator({ concurrency: 1, processingMs: { min: 3_600_000, max: 3_600_000 }, ...options });
  await s.call('POST', '/v1/async/task', chatgptTask('blocker'));
  await until(() => s.sim.stats().tasks.byState.PROCESSING === 1);
  return s;
}

function errorCode(body: unknown): string {
  const parsed = ErrorEnvelopeSchema.parse(body);
  return typeof parsed.error === 'string' ? parsed.error : parsed.error.code;
}

describe('queue limit', () => {
  test('answers 429 QUEUE_LIMIT_EXCEEDED once queueLimit tasks are QUEUED', async () => {
    sim = await simulatorWithBusySlot({ queueLimit: 2 });
    expect((await sim.call('POST', '/v1/async/task', chatgptTask('one'))).status).toBe(200);
    expect((await sim.call('POST', '/v1/async/task', chatgptTask('two'))).status).toBe(200);
    const res = await sim.call('POST', '/v1/async/task', chatgptTask('three', { idempotencyKey: 'over-limit' }));
    expect(res.status).toBe(429);
    expect(errorCode(res.body)).toBe('QUEUE_LIMIT_EXCEEDED');
    expect(res.headers.get('retry-after')).toBeNull();
    // Rejected, not created: the key is still free.
    expect(sim.sim.stats().creates.byIdempotencyKey['over-limit']).toEqual({ requests: 1, created: 0, conflicts: 0 });
  });

  test('rejects a whole batch that would overflow the queue', async () => {
    sim = await simulatorWithBusySlot({ queueLimit: 2 });
    const res = await sim.call('POST', '/v1/async/task/batch', [chatgptTask('a'), chatgptTask('b'), chatgptTask('c')]);
    expect(res.status).toBe(429);
    expect(errorCode(res.body)).toBe('QUEUE_LIMIT_EXCEEDED');
    expect(StatusResponseSchema.parse((await sim.call('GET', '/v1/async/status')).body).queuedTasks).toBe(0);
  });
});

describe('DELETE /v1/async/queue', () => {
  test('cancels every QUEUED task, leaves the PROCESSING one, and the cancelled tasks are gone', async () => {
    sim = await simulatorWithBusySlot();
    const ids: string[] = [];
    for (const prompt of ['a', 'b', 'c']) {
      ids.push(CreateTaskResponseSchema.parse((await sim.call('POST', '/v1/async/task', chatgptTask(prompt))).body).task.id);
    }
    const res = await sim.call('DELETE', '/v1/async/queue');
    expect(res.status).toBe(200);
    expect(ClearQueueResponseSchema.parse(res.body)).toEqual({ success: true, cleared: 3 });
    const status = StatusResponseSchema.parse((await sim.call('GET', '/v1/async/status')).body);
    expect(status).toMatchObject({ queuedTasks: 0, processingTasks: 1, priorityBreakdown: [] });
    expect((await sim.call('GET', `/v1/async/task/${ids[0]}`)).status).toBe(404);
    expect(sim.sim.stats().tasks.cancelled).toBe(3);
  });
});

describe('credits', () => {
  test('create checks the balance net of tasks not yet finished, and INSUFFICIENT_CREDITS is 402', async () => {
    sim = await simulatorWithBusySlot({ initialCredits: 12 });
    // The blocker (5) is outstanding; 7 left: one more CHATGPT task fits, the next does not.
    expect((await sim.call('POST', '/v1/async/task', chatgptTask('fits'))).status).toBe(200);
    const res = await sim.call('POST', '/v1/async/task', chatgptTask('too many'));
    expect(res.status).toBe(402);
    expect(res.body.error).toMatchObject({ code: 'INSUFFICIENT_CREDITS', details: { required: 5, available: 2 } });
    const balance = CreditsBalanceSchema.parse((await sim.call('GET', '/v1/credits')).body);
    expect(balance.remaining).toBe(12);
    expect(balance.perCycle).toBe(12);
    expect(Date.parse(balance.cycleResetsAt ?? '')).toBeGreaterThan(Date.now());
  });

  test('a COMPLETED task is charged its price and insufficientCreditsStatus 403 is honoured', async () => {
    sim = await startTestSimulator({ initialCredits: 8, insufficientCreditsStatus: 403, prices: { GOOGLE: 6 } });
    await sim.call('POST', '/v1/async/task', { taskType: 'GOOGLE', payload: { query: 'running shoes', country: 'GB' } });
    await sim.sim.idle();
    expect(CreditsBalanceSchema.parse((await sim.call('GET', '/v1/credits')).body).remaining).toBe(2);
    const res = await sim.call('POST', '/v1/async/task', { taskType: 'GOOGLE', payload: { query: 'again', country: 'GB' } });
    expect(res.status).toBe(403);
    expect(errorCode(res.body)).toBe('INSUFFICIENT_CREDITS');
  });
});

describe('batch create', () => {
  test('answers per-item results: created, invalid and duplicate key side by side', async () => {
    sim = await startTestSimulator();
    const res = await sim.call('POST', '/v1/async/task/batch', [
      chatgptTask('first', { idempotencyKey: 'batch-1' }),
      { taskType: 'CHATGPT', payload: { prompt: 'x', country: 'US', temperature: 1 } },
      chatgptTask('again', { idempotencyKey: 'batch-1' }),
      { taskType: 'GOOGLE', payload: { query: 'best trail shoes', country: 'US' }, priority: 3 },
    ]);
    expect(res.status).toBe(200);
    const body = BatchCreateResponseSchema.parse(res.body);
    expect(body.summary).toEqual({ total: 4, succeeded: 2, failed: 2 });
    expect(body.results.map((r) => [r.index, r.success])).toEqual([
      [0, true],
      [1, false],
      [2, false],
      [3, true],
    ]);
    const [created, invalid, duplicate, google] = body.results;
    expect(created?.success && created.task).toMatchObject({ status: 'QUEUED', idempotencyKey: 'batch-1' });
    expect(!invalid?.success && invalid?.error).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ field: '[1].payload.temperature', message: 'is not a known field' }],
    });
    expect(!duplicate?.success && duplicate?.error).toMatchObject({
      code: 'RESOURCE_ALREADY_EXISTS',
      details: { field: 'idempotencyKey', value: 'batch-1' },
    });
    expect(google?.success && google.credits).toEqual({ creditsToCharge: 3, creditsCharged: null });
  });

  test('rejects an empty batch and one over 500 items as VALIDATION_ERROR', async () => {
    sim = await startTestSimulator();
    expect((await sim.call('POST', '/v1/async/task/batch', [])).status).toBe(422);
    const tooMany = Array.from({ length: 501 }, (_, i) => chatgptTask(`p${i}`));
    const res = await sim.call('POST', '/v1/async/task/batch', tooMany);
    expect(res.status).toBe(422);
    expect(errorCode(res.body)).toBe('VALIDATION_ERROR');
  });
});

describe('auth', () => {
  test('a missing Authorization header is 401 MISSING_API_KEY even when any key is accepted', async () => {
    sim = await startTestSimulator();
    const res = await fetch(`${sim.url}/v1/async/status`);
    expect(res.status).toBe(401);
    expect(errorCode(await res.json())).toBe('MISSING_API_KEY');
  });

  test('with apiKey set, only that key passes', async () => {
    sim = await startTestSimulator({ apiKey: 'sk_live_right' });
    const wrong = await sim.call('GET', '/v1/async/status');
    expect(wrong.status).toBe(401);
    expect(errorCode(wrong.body)).toBe('INVALID_OR_EXPIRED_API_KEY');
    const malformed = await sim.call('GET', '/v1/async/status', undefined, { authorization: 'Token sk_live_right' });
    expect(errorCode(malformed.body)).toBe('INVALID_API_KEY_FORMAT');
    const right = await sim.call('GET', '/v1/async/status', undefined, { authorization: 'Bearer sk_live_right' });
    expect(right.status).toBe(200);
  });
});

describe('validation', () => {
  test('unknown keys are rejected with details naming each field', async () => {
    sim = await startTestSimulator();
    const res = await sim.call('POST', '/v1/async/task', {
      ...chatgptTask('hi'),
      callbackUrl: 'http://x',
      payload: { prompt: 'hi', country: 'US', model: 'gpt' },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
    expect(res.body.error.details).toEqual(
      expect.arrayContaining([
        { field: 'callbackUrl', message: 'is not a known field' },
        { field: 'payload.model', message: 'is not a known field' },
      ]),
    );
  });

  test('engine rules: blocked country, query vs prompt, and validationStatus 400', async () => {
    sim = await startTestSimulator({ validationStatus: 400 });
    const blocked = await sim.call('POST', '/v1/async/task', { taskType: 'CHATGPT', payload: { prompt: 'hi', country: 'CN' } });
    expect(blocked.status).toBe(400);
    expect(blocked.body.error.details).toEqual([{ field: 'payload.country', message: 'CN is not supported for CHATGPT' }]);
    const google = await sim.call('POST', '/v1/async/task', { taskType: 'GOOGLE', payload: { prompt: 'hi', country: 'US' } });
    expect(google.body.error.details).toEqual(expect.arrayContaining([{ field: 'payload.query', message: 'is required for GOOGLE' }]));
    const notJson = await fetch(`${sim.url}/v1/async/task`, {
      method: 'POST',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      body: '{"taskType":',
    });
    expect(notJson.status).toBe(400);
    expect(errorCode(await notJson.json())).toBe('VALIDATION_ERROR');
  });
});

describe('other routes', () => {
  test('an unknown route is a 404 RESOURCE_NOT_FOUND envelope', async () => {
    sim = await startTestSimulator();
    const res = await sim.call('GET', '/v1/async/tasks');
    expect(res.status).toBe(404);
    expect(errorCode(res.body)).toBe('RESOURCE_NOT_FOUND');
  });

  test('GET /v1/countries lists ISO codes, narrowed per model', async () => {
    sim = await startTestSimulator();
    const all = CountriesResponseSchema.parse((await sim.call('GET', '/v1/countries')).body);
    expect(all).toHaveLength(249);
    expect(all).toEqual(expect.arrayContaining(['US', 'GB', 'CN']));
    const chatgpt = CountriesResponseSchema.parse((await sim.call('GET', '/v1/countries?model=chatgpt')).body);
    expect(chatgpt).not.toContain('CN');
    expect(chatgpt).toContain('US');
    expect((await sim.call('GET', '/v1/countries?model=altavista')).status).toBe(422);
  });

  test('status answers concurrency null in simulated maintenance', async () => {
    sim = await startTestSimulator({ statusConcurrencyNull: true });
    const status = StatusResponseSchema.parse((await sim.call('GET', '/v1/async/status')).body);
    expect(status.concurrency).toBeNull();
  });

  test('requests are counted per route and status', async () => {
    sim = await startTestSimulator();
    await sim.call('GET', '/v1/async/status');
    await sim.call('GET', '/v1/async/task/nope');
    await sim.call('GET', '/v1/async/task/nope-either');
    const { requests } = (await sim.call('GET', '/_sim/stats')).body;
    expect(requests['GET /v1/async/status']).toEqual({ total: 1, byStatus: { 200: 1 } });
    expect(requests['GET /v1/async/task/:id']).toEqual({ total: 2, byStatus: { 404: 2 } });
  });
});

describe('request bodies', () => {
  test('a JSON content type with an empty body is no body, not a parse error', async () => {
    sim = await startTestSimulator();
    const res = await fetch(`${sim.url}/v1/async/queue`, {
      method: 'DELETE',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ success: true, cleared: 0 });
  });
});

describe('request rate limit', () => {
  test('more than rateLimitPerSecond requests on one endpoint in a second are 429 RATE_LIMIT_EXCEEDED', async () => {
    sim = await startTestSimulator({ rateLimitPerSecond: 3 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await sim.call('GET', '/v1/async/status')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    // Per endpoint: another route still has its own budget.
    expect((await sim.call('GET', '/v1/credits')).status).toBe(200);
  });
});
