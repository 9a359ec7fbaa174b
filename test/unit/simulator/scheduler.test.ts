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
