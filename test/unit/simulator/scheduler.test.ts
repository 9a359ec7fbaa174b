import { StatusResponseSchema } from '../../../src/cloro/schemas';
import { chatgptTask, sleep, startTestSimulator, until, type TestSimulator } from './helpers';

let sim: TestSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('scheduler', () => {
  test('runs higher priority first and FIFO within a priority', async () => {
    // One slot and 150 ms (real) per task: the blocker keeps the slot while the rest queue up.
    sim = await startTestSimulator({ concurrency: 1, processingMs: { min: 150_000, max: 150_000 } });
    const started: string[] = [];
    sim.sim.on('task:started', (task) => started.push(task.idempotencyKey ?? ''));

    await sim.call('POST', '/v1/async/task', chatgptTask('blocker', { idempotencyKey: 'blocker' }));
    await until(() => started.length === 1);
    for (const [key, priority] of [
      ['p1-first', 1],
      ['p5-first', 5],
      ['p10', 10],
      ['p5-second', 5],
      ['p1-second', 1],
    ] as const) {
      const res = await sim.call('POST', '/v1/async/task', chatgptTask(key, { idempotencyKey: key, priority }));
      expect(res.status).toBe(200);
    }

    const status = StatusResponseSchema.parse((await sim.call('GET', '/v1/async/status')).body);
    expect(status).toEqual({
      queuedTasks: 5,
      processingTasks: 1,
      priorityBreakdown: [
        { priority: 10, count: 1 },
        { priority: 5, count: 2 },
        { priority: 1, count: 2 },
      ],
      concurrency: { used: 1, max: 1 },
    });

    await sim.sim.idle();
    expect(started).toEqual(['blocker', 'p10', 'p5-first', 'p5-second', 'p1-first', 'p1-second']);
  });

  test('never has more than the plan concurrency PROCESSING', async () => {
    sim = await startTestSimulator({ concurrency: 3, processingMs: { min: 10_000, max: 40_000 } });
    let processing = 0;
    let peak = 0;
    sim.sim.on('task:started', () => {
      processing += 1;
      peak = Math.max(peak, processing);
    });
    sim.sim.on('task:finished', () => (processing -= 1));

    const batch = Array.from({ length: 30 }, (_, i) => chatgptTask(`prompt ${i}`, { idempotencyKey: `c-${i}` }));
    expect((await sim.call('POST', '/v1/async/task/batch', batch)).status).toBe(200);
    const used: number[] = [];
    while (sim.sim.stats().tasks.completed < 30) {
      const status = StatusResponseSchema.parse((await sim.call('GET', '/v1/async/status')).body);
      used.push(status.concurrency?.used ?? -1);
      await sleep(2);
    }

    const stats = (await sim.call('GET', '/_sim/stats')).body;
    expect(peak).toBe(3);
    expect(Math.max(...used)).toBeLessThanOrEqual(3);
    expect(stats.concurrency).toEqual({ max: 3, maxObservedProcessing: 3 });
    expect(stats.tasks.completed).toBe(30);
    // 30 tasks of 10–40 s each (cloro time) kept the slots busy for that long in total.
    expect(stats.busySlotSeconds.cloro).toBeGreaterThanOrEqual(300);
    expect(stats.busySlotSeconds.cloro).toBeLessThanOrEqual(1_300);
  });

  test('answers the create as QUEUED even when a slot is free', async () => {
    sim = await startTestSimulator();
    const res = await sim.call('POST', '/v1/async/task', chatgptTask('hello'));
    expect(res.body.task.status).toBe('QUEUED');
    await until(() => sim?.sim.stats().tasks.byState.PROCESSING === 1 || sim?.sim.stats().tasks.completed === 1);
  });
});

describe('plan concurrency changed while the org runs', () => {
  /** An hour of cloro time (3.6 s real at 1000×): nothing finishes unless the test waits for it. */
  const LONG = { min: 3_600_000, max: 3_600_000 };
  const batchOf = (n: number) => Array.from({ length: n }, (_, i) => chatgptTask(`prompt ${i}`, { idempotencyKey: `plan-${i}` }));
  const status = async (s: TestSimulator) => StatusResponseSchema.parse((await s.call('GET', '/v1/async/status')).body);

  test('more slots start queued tasks at once, and status and stats report the new maximum', async () => {
    sim = await startTestSimulator({ concurrency: 1, processingMs: LONG });
    let started = 0;
    sim.sim.on('task:started', () => (started += 1));
    await sim.call('POST', '/v1/async/task/batch', batchOf(5));
    await until(() => started === 1);

    const res = await sim.call('PUT', '/_sim/concurrency', 3);
    expect(res.body).toEqual({ success: true, concurrency: 3 });
    // Started by the change itself, not by a task finishing (none can for an hour of cloro time).
    expect(started).toBe(3);
    expect(await status(sim)).toMatchObject({ queuedTasks: 2, processingTasks: 3, concurrency: { used: 3, max: 3 } });
    expect(sim.sim.stats().concurrency).toEqual({ max: 3, maxObservedProcessing: 3 });
  });

  test('fewer slots stop no running task and start none until fewer than the new count run', async () => {
    // 100–400 ms real per task: the four running ones finish one by one.
    sim = await startTestSimulator({ concurrency: 4, processingMs: { min: 100_000, max: 400_000 } });
    const events: ('start' | 'finish')[] = [];
    const processingAtStart: number[] = [];
    sim.sim.on('task:started', () => {
      events.push('start');
      processingAtStart.push(sim!.sim.status().processingTasks);
    });
    sim.sim.on('task:finished', () => events.push('finish'));
    await sim.call('POST', '/v1/async/task/batch', batchOf(10));
    await until(() => events.length === 4);

    expect(sim.sim.setConcurrency(2)).toBe(2);
    expect(await status(sim)).toMatchObject({ processingTasks: 4, concurrency: { used: 4, max: 2 } });
    await sim.sim.idle();

    const after = events.slice(4);
    // 4 running, 2 slots: three must finish before the next start (4 → 1 → 2).
    expect(after.indexOf('start')).toBe(3);
    expect(Math.max(...processingAtStart.slice(4))).toBe(2);
    expect(sim.sim.stats().tasks.completed).toBe(10);
  });

  test('the synchronous endpoints follow the new plan too', async () => {
    sim = await startTestSimulator({ concurrency: 1, processingMs: { min: 50_000, max: 50_000 } });
    const ask = () => sim!.sim.monitor('chatgpt', { prompt: 'Is Acme Corp any good?', country: 'US' });
    const first = ask();
    await expect(ask()).rejects.toMatchObject({ status: 429, code: 'CONCURRENT_LIMIT_EXCEEDED' });
    sim.sim.setConcurrency(2);
    await expect(Promise.all([first, ask()])).resolves.toHaveLength(2);
  });

  test('refuses anything but an integer from 1 to 10,000, naming the field, and keeps the slots', async () => {
    sim = await startTestSimulator({ concurrency: 4 });
    for (const bad of [0, -1, 2.5, 10_001, '3', null, undefined]) {
      expect(() => sim!.sim.setConcurrency(bad)).toThrow(expect.objectContaining({ status: 422, code: 'VALIDATION_ERROR' }));
    }
    expect(() => sim!.sim.setConcurrency(0)).toThrow(/^concurrency: /);
    const res = await sim.call('PUT', '/_sim/concurrency', { concurrency: 3 });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ field: 'concurrency', message: expect.any(String) }] });
    expect((await status(sim)).concurrency).toEqual({ used: 0, max: 4 });
  });

  test('reset() goes back to the concurrency given at start', async () => {
    sim = await startTestSimulator({ concurrency: 4 });
    sim.sim.setConcurrency(7);
    sim.sim.reset();
    expect((await status(sim)).concurrency).toEqual({ used: 0, max: 4 });
  });
});
