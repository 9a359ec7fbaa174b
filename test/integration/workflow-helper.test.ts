/**
 * Set-up (b) of the package: a user's worker with CloroPlugin and the user's own workflows
 * module (re-exporting cloro's), asking through cloroPrompt and cloroBatch on its own queue.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { type NativeConnection, Worker } from '@temporalio/worker';
import { CloroClient } from '../../src/cloro/client';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { DbResultStore } from '../../src/store';
import { CloroPlugin } from '../../src/temporal/plugin';
import { apiTaskQueue, batchWorkflowId, CloroPriorityKey, CloroTaskTypeKey, promptWorkflowId } from '../../workflows/definitions';
import type { agencyCrmBatch, researchWorkflow } from '../fixtures/own-workflows';
import { type EngineUnderTest, startPGlite } from '../helpers/store-engines';
import { testClient, testConnection, testNamespace, uniqueTaskQueue } from '../helpers/temporal';

const API_KEY = 'sk_test_workflow_helper_0123';

let sim: RunningSimulator;
let engine: EngineUnderTest;
let client: Client;
let connection: NativeConnection;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, apiKey: API_KEY, processingMs: { min: 100, max: 300 }, seed: 3 });
  engine = await startPGlite();
  client = await testClient();
  connection = await testConnection();
}, 120_000);

afterAll(async () => {
  await connection?.close();
  await client?.connection.close();
  await engine?.stop();
  await sim?.close();
});

/** Set-up (b): the user's two workers on a fresh queue, with one CloroPlugin. */
async function ownWorkers(): Promise<{ taskQueue: string; workers: Worker[] }> {
  const taskQueue = uniqueTaskQueue('own');
  const cloro = new CloroPlugin({
    client: new CloroClient({ apiKey: API_KEY, baseURL: sim.url }),
    store: { results: new DbResultStore(engine.store.db) },
  });
  const namespace = testNamespace();
  const workers = await Promise.all([
    Worker.create({ connection, namespace, taskQueue, workflowsPath: require.resolve('../fixtures/own-workflows'), plugins: [cloro] }),
    Worker.create({ connection, namespace, taskQueue: apiTaskQueue(taskQueue), plugins: [cloro] }),
  ]);
  return { taskQueue, workers };
}

/** Runs the workers until `work` settles, and returns what it returned. */
async function runWith<T>(workers: Worker[], work: Promise<T>): Promise<T> {
  await Promise.all(workers.map((worker) => worker.runUntil(work)));
  return work;
}

it('runs a prompt and a batch as children of a user workflow on its own queue, once per key', async () => {
  const { taskQueue, workers } = await ownWorkers();
  const created = sim.sim.stats().tasks.created;
  const key = `helper-${randomUUID()}`;
  const research = (run: number) =>
    client.workflow.execute<typeof researchWorkflow>('researchWorkflow', { taskQueue, workflowId: `research-${key}-${run}`, args: [key] });
  // A second run with the same keys reads what the first one paid for instead of asking again.
  const { first, again } = await runWith(workers, (async () => ({ first: await research(1), again: await research(2) }))());
  const { prompt, batch } = first;

  expect(prompt).toMatchObject({ idempotencyKey: key, status: 'COMPLETED', attempts: 1 });
  expect(prompt.textLength).toBeGreaterThan(0);
  expect(batch).toMatchObject({ batchId: `${key}-batch`, total: 2, completed: 2, done: true });
  const child = await client.workflow.getHandle(promptWorkflowId(key)).describe();
  expect(child.typedSearchAttributes.get(CloroTaskTypeKey)).toBe('GOOGLE');
  expect(child.typedSearchAttributes.get(CloroPriorityKey)).toBe(9);
  expect(child.priority?.priorityKey).toBe(1);

  expect(again.prompt).toEqual(prompt);
  expect(again.batch).toMatchObject({ completed: 2, creditsCharged: batch.creditsCharged });
  expect(sim.sim.stats().tasks.created - created).toBe(3);
}, 240_000);

it('lets a second caller of a batch id that is still running wait for that batch instead of failing', async () => {
  const { taskQueue, workers } = await ownWorkers();
  const created = sim.sim.stats().tasks.created;
  const batchId = `helper-shared-${randomUUID()}`;
  // Creates answered 2 s late: the batch is still running when the second caller asks.
  sim.sim.addFaults({ slow: { route: 'POST /v1/async/task', ms: 2_000, rate: 1 } });
  try {
    const ask = (caller: number) =>
      client.workflow.execute<typeof agencyCrmBatch>('agencyCrmBatch', {
        taskQueue,
        workflowId: `${batchId}-caller-${caller}`,
        args: [batchId],
      });
    const [one, two] = await runWith(workers, Promise.all([ask(1), ask(2)]));

    expect(one).toMatchObject({ batchId, total: 2, completed: 2, done: true });
    expect(two).toEqual(one);
    // One batch execution served both callers, and its prompts were paid once.
    const runs = [];
    for await (const run of client.workflow.list({ query: `WorkflowId = '${batchWorkflowId(batchId)}'` })) runs.push(run);
    expect(runs).toHaveLength(1);
    expect(sim.sim.stats().tasks.created - created).toBe(2);
  } finally {
    sim.sim.clearFaults();
  }
}, 240_000);
