/**
 * cloro priority is mapped onto Temporal task priority, so inside our own queues an
 * interactive prompt overtakes batch work that is already waiting. Checked on the real dev
 * server: prompts wait on a task queue with no worker, then one narrow worker starts and
 * the order of creates at cloro shows which workflow and activity tasks it was handed first.
 */
import { startPrompt } from '../../src/prompts/start';
import { createWorker } from '../../src/temporal/worker';
import { startHarness, promptInput, type Harness } from '../helpers/prompt-harness';
import { testNamespace, uniqueTaskQueue } from '../helpers/temporal';

describe('Temporal task priority', () => {
  let h: Harness;
  afterAll(async () => {
    await h?.close();
  });

  it('a priority-10 prompt started after 15 priority-1 prompts reaches cloro among the first', async () => {
    h = await startHarness({ concurrency: 20 });
    const taskQueue = uniqueTaskQueue('priority');
    const low = [];
    for (let i = 0; i < 15; i++)
      low.push(await startPrompt(h.client, promptInput({ priority: 1, prompt: `Batch question ${i} about Acme?` }), taskQueue));
    const urgentInput = promptInput({ priority: 10, prompt: 'Is Acme down right now?' });
    const urgent = await startPrompt(h.client, urgentInput, taskQueue);

    const createdKeys: Array<string | null> = [];
    const onCreated = (task: { idempotencyKey: string | null }) => createdKeys.push(task.idempotencyKey);
    h.sim.sim.on('task:created', onCreated);
    const worker = await createWorker({
      connection: h.connection,
      namespace: testNamespace(),
      taskQueue,
      deps: h.deps(),
      // As narrow as the SDK allows, so the server's dispatch order decides.
      maxConcurrentWorkflowTaskExecutions: 2,
      maxConcurrentActivityTaskExecutions: 1,
    });
    await worker.runUntil(Promise.all([...low, urgent].map((p) => p.handle.result())));
    h.sim.sim.off('task:created', onCreated);

    expect(createdKeys).toHaveLength(16);
    // Measured: 1–3rd with the mapping; 14th (near FIFO's 16th) with every prompt at the same key.
    expect(createdKeys.indexOf(urgentInput.idempotencyKey)).toBeLessThanOrEqual(6);
  }, 120_000);
});
