import { CreateTaskResponseSchema, ErrorEnvelopeSchema } from '../../../src/cloro/schemas';
import { chatgptTask, startTestSimulator, type TestSimulator } from './helpers';

let sim: TestSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('lost create responses', () => {
  test('the task is created, the answer is a 502, and the retried create gets 409 with one create recorded', async () => {
    sim = await startTestSimulator();
    expect((await sim.call('POST', '/_sim/faults', { loseCreateResponse: { count: 1 } })).status).toBe(200);
    const body = chatgptTask('lost answer', { idempotencyKey: 'lost-1' });

    const first = await sim.call('POST', '/v1/async/task', body);
    expect(first.status).toBe(502);
    expect(ErrorEnvelopeSchema.parse(first.body)).toMatchObject({ error: { code: 'EXTERNAL_SERVICE_ERROR' } });
    const retry = await sim.call('POST', '/v1/async/task', body);
    expect(retry.status).toBe(409);
    expect(retry.body.error.details).toEqual({ field: 'idempotencyKey', value: 'lost-1' });

    const stats = (await sim.call('GET', '/_sim/stats')).body;
    expect(stats.creates.byIdempotencyKey['lost-1']).toEqual({ requests: 2, created: 1, conflicts: 1 });
    expect(stats.tasks.created).toBe(1);
  });

  test('respond "destroy" resets the connection after creating the task', async () => {
    sim = await startTestSimulator({ faults: { loseCreateResponse: { count: 1, respond: 'destroy' } } });
    const body = chatgptTask('reset', { idempotencyKey: 'lost-2' });
    await expect(sim.call('POST', '/v1/async/task', body)).rejects.toThrow();
    expect((await sim.call('POST', '/v1/async/task', body)).status).toBe(409);
    const stats = sim.sim.stats();
    expect(stats.creates.byIdempotencyKey['lost-2']).toEqual({ requests: 2, created: 1, conflicts: 1 });
    expect(stats.requests['POST /v1/async/task']?.byStatus).toEqual({ destroyed: 1, 409: 1 });
  });

  test('a lost batch answer still created every item', async () => {
    sim = await startTestSimulator({ faults: { loseCreateResponse: { count: 1, respond: 503 } } });
    const batch = [chatgptTask('a', { idempotencyKey: 'b-1' }), chatgptTask('b', { idempotencyKey: 'b-2' })];
    const first = await sim.call('POST', '/v1/async/task/batch', batch);
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('1');
    const retry = await sim.call('POST', '/v1/async/task/batch', batch);
    expect(retry.body.summary).toEqual({ total: 2, succeeded: 0, failed: 2 });
    expect(sim.sim.stats().tasks.created).toBe(2);
  });
});

describe('injected errors', () => {
  test('count: the next N requests on the route fail, then it answers normally; other routes are untouched', async () => {
    sim = await startTestSimulator();
    await sim.call('POST', '/_sim/faults', { errors: { route: 'GET /v1/async/status', status: 503, count: 2 } });
    expect((await sim.call('GET', '/v1/credits')).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const res = await sim.call('GET', '/v1/async/status');
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(res.body.error.code).toBe('SERVICE_UNAVAILABLE');
    }
    expect((await sim.call('GET', '/v1/async/status')).status).toBe(200);
    expect((await sim.call('GET', '/_sim/faults')).body.faults).toEqual([]);
  });

  test('an injected error happens before the handler: a failed create creates nothing', async () => {
    sim = await startTestSimulator({ faults: { errors: [{ route: '/v1/async/task', status: 429, count: 1 }] } });
    const body = chatgptTask('rate limited', { idempotencyKey: 'rl-1' });
    const res = await sim.call('POST', '/v1/async/task', body);
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe('RATE_LIMIT_EXCEEDED');
    expect((await sim.call('POST', '/v1/async/task', body)).status).toBe(200);
  });

  test('rate: 1 fails every request until DELETE /_sim/faults clears the rules', async () => {
    sim = await startTestSimulator();
    await sim.call('POST', '/_sim/faults', { errors: { status: 500, rate: 1, code: 'INTERNAL_SERVER_ERROR' } });
    expect((await sim.call('GET', '/v1/async/status')).status).toBe(500);
    expect((await sim.call('GET', '/v1/credits')).status).toBe(500);
    const listed = (await sim.call('GET', '/_sim/faults')).body.faults;
    expect(listed).toEqual([expect.objectContaining({ kind: 'errors', remaining: null, fired: 2 })]);
    expect((await sim.call('DELETE', '/_sim/faults')).status).toBe(200);
    expect((await sim.call('GET', '/v1/async/status')).status).toBe(200);
  });

  test('slow: the answer leaves the given real milliseconds late', async () => {
    sim = await startTestSimulator({ faults: { slow: { ms: 250, count: 1 } } });
    const started = Date.now();
    expect((await sim.call('GET', '/v1/async/status')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(245);
  });

  test('failTasks: the next task ends FAILED with the given code', async () => {
    sim = await startTestSimulator({ faults: { failTasks: { count: 1, code: 'EXTERNAL_SERVICE_ERROR', message: 'provider down' } } });
    const ids = [];
    for (const prompt of ['first', 'second']) {
      ids.push(CreateTaskResponseSchema.parse((await sim.call('POST', '/v1/async/task', chatgptTask(prompt))).body).task.id);
      await sim.sim.idle();
    }
    const [failed, completed] = await Promise.all(ids.map(async (id) => (await sim!.call('GET', `/v1/async/task/${id}`)).body));
    expect(failed.task.status).toBe('FAILED');
    expect(failed.response.error).toEqual({ code: 'EXTERNAL_SERVICE_ERROR', message: 'provider down' });
    expect(completed.task.status).toBe('COMPLETED');
  });

  test('an invalid fault body is a 422 naming the field', async () => {
    sim = await startTestSimulator();
    const both = await sim.call('POST', '/_sim/faults', { errors: { status: 503, count: 1, rate: 0.5 } });
    expect(both.status).toBe(422);
    expect(both.body.error.message).toMatch(/^errors: give exactly one of count/);
    const route = await sim.call('POST', '/_sim/faults', { errors: { route: 'GET /v1/nope', status: 503, count: 1 } });
    expect(route.body.error.details).toEqual([{ field: 'errors.route', message: expect.stringMatching(/^must be "\*"/) }]);
    const unknown = await sim.call('POST', '/_sim/faults', { explode: true });
    expect(unknown.body.error.details).toEqual([{ field: 'explode', message: 'is not a known field' }]);
  });
});

describe('POST /_sim/reset', () => {
  test('forgets tasks, keys, stats and added faults, keeping the configured ones', async () => {
    sim = await startTestSimulator({ faults: { errors: { route: '/v1/credits', status: 500, rate: 1 } } });
    await sim.call('POST', '/v1/async/task', chatgptTask('before', { idempotencyKey: 'reset-me' }));
    await sim.call('POST', '/_sim/faults', { slow: { ms: 5_000, rate: 1 } });
    expect((await sim.call('POST', '/_sim/reset')).body).toEqual({ success: true });

    expect((await sim.call('POST', '/v1/async/task', chatgptTask('after', { idempotencyKey: 'reset-me' }))).status).toBe(200);
    expect((await sim.call('GET', '/v1/credits')).status).toBe(500);
    const stats = (await sim.call('GET', '/_sim/stats')).body;
    expect(stats.creates.requests).toBe(1);
    expect((await sim.call('GET', '/_sim/faults')).body.faults).toHaveLength(1);
  });
});
