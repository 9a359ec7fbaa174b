/**
 * Set-up (a): a dedicated cloro worker next to your own. Without CLORO_API_KEY a local
 * simulator answers in cloro's place; TEMPORAL_ADDRESS defaults to a local dev server.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { ensureSearchAttributes } from 'cloro-temporal/client';
import { startSimulator } from 'cloro-temporal/simulator';
import { apiTaskQueue, CloroPlugin, openCloroStore } from 'cloro-temporal/worker';
import { compareEngines } from './workflows';

const address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
const appQueue = process.env.APP_TASK_QUEUE ?? 'app';
const cloroQueue = process.env.CLORO_TASK_QUEUE ?? 'cloro';

async function main(): Promise<void> {
  const simulator = process.env.CLORO_API_KEY ? undefined : await startSimulator({ port: 0, processingMs: { min: 200, max: 800 } });
  const store = await openCloroStore({ databaseUrl: process.env.DATABASE_URL });
  const connection = await NativeConnection.connect({ address });
  const client = new Client({ connection: await Connection.connect({ address }), namespace });
  try {
    await ensureSearchAttributes(client.connection, namespace);
    const cloro = new CloroPlugin({ apiKey: process.env.CLORO_API_KEY ?? 'simulated', baseUrl: simulator?.url, store });
    const workers = await Promise.all([
      // cloro's workflows on its queue, and its calls to cloro on `<queue>-api`, rate limited server-side.
      Worker.create({ connection, namespace, taskQueue: cloroQueue, plugins: [cloro] }),
      Worker.create({ connection, namespace, taskQueue: apiTaskQueue(cloroQueue), plugins: [cloro] }),
      // Your own worker with your own workflows.
      Worker.create({ connection, namespace, taskQueue: appQueue, workflowsPath: require.resolve('./workflows') }),
    ]);
    const answers = client.workflow.execute(compareEngines, {
      taskQueue: appQueue,
      workflowId: `compare-engines-${Date.now()}`,
      args: ['Which CRM would you recommend to a small agency?', cloroQueue],
    });
    await Promise.all(workers.map((worker) => worker.runUntil(answers)));
    for (const answer of await answers) {
      console.log(
        `${answer.status} ${answer.idempotencyKey} task=${answer.taskId} chars=${answer.textLength} sources=${answer.sourcesCount}`,
      );
    }
  } finally {
    await client.connection.close();
    await connection.close();
    await store.close();
    await simulator?.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
