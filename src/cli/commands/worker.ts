import os from 'node:os';
import { Command } from 'commander';
import { z } from 'zod';
import { type BuiltActivityDeps, buildActivityDeps } from '../../app/activity-deps';
import { type Config, loadConfig } from '../../config';
import { connectWorker } from '../../temporal/connection';
import { installWorkerRuntime } from '../../temporal/runtime';
import { createWorker, DEFAULT_CLORO_REQUESTS_PER_SECOND } from '../../temporal/worker';
import { startWorkerHttp } from '../../temporal/worker-http';
import { parseOptions } from '../parse-options';

const WorkerOptionsSchema = z.object({
  taskQueue: z.string().min(1).optional(),
  maxActivities: z.coerce.number().int().positive(),
  maxWorkflowTasks: z.coerce.number().int().positive(),
  bridgeUrl: z.url().optional(),
  cloroRps: z.coerce.number().positive(),
  httpPort: z.coerce.number().int().min(0).max(65535).optional(),
  httpHost: z.string().min(1),
  shutdownGrace: z.coerce.number().min(0),
});

export function workerCommand(): Command {
  return new Command('worker')
    .description('run prompt workflows and cloro activities (stops gracefully on SIGINT/SIGTERM)')
    .option('--task-queue <name>', 'task queue (default: CLORO_TASK_QUEUE or cloro)')
    .option('--max-activities <n>', 'concurrent activity executions', '100')
    .option('--max-workflow-tasks <n>', 'concurrent workflow task executions', '40')
    .option(
      '--cloro-rps <n>',
      'cloro API calls per second for ALL workers of the task queue (enforced by Temporal)',
      String(DEFAULT_CLORO_REQUESTS_PER_SECOND),
    )
    .option('--bridge-url <url>', 'public URL of the webhook bridge (default: BRIDGE_PUBLIC_URL; unset → poll)')
    .option('--http-port <n>', 'serve /healthz and /readyz on this port (default: WORKER_HTTP_PORT; unset → no server)')
    .option('--http-host <address>', 'listen address of that server (0.0.0.0 in a container)', '127.0.0.1')
    .option(
      '--shutdown-grace <seconds>',
      'on SIGINT/SIGTERM, how long running activities may finish before they are cancelled (keep it under the stop timeout)',
      '20',
    )
    .action(async (raw: unknown) => {
      const opts = parseOptions(WorkerOptionsSchema, raw);
      const cfg = loadConfig();
      installWorkerRuntime('INFO');
      const built = await buildActivityDeps(cfg, opts.bridgeUrl ? { bridgeUrl: opts.bridgeUrl } : {});
      try {
        await runWorker(cfg, opts, built);
      } finally {
        // After the worker drained: an activity still running may be writing an answer.
        await built.close();
      }
    });
}

async function runWorker(cfg: Config, opts: z.infer<typeof WorkerOptionsSchema>, { deps, storeWhere }: BuiltActivityDeps): Promise<void> {
  const connection = await connectWorker(cfg);
  try {
    const taskQueue = opts.taskQueue ?? cfg.temporal.taskQueue;
    const worker = await createWorker({
      connection,
      namespace: cfg.temporal.namespace,
      taskQueue,
      deps,
      maxConcurrentActivityTaskExecutions: opts.maxActivities,
      maxConcurrentWorkflowTaskExecutions: opts.maxWorkflowTasks,
      cloroRequestsPerSecond: opts.cloroRps,
      shutdownGraceTime: opts.shutdownGrace * 1000,
      identity: `cloro-temporal-worker@${os.hostname()}:${process.pid}`,
    });
    const httpPort = opts.httpPort ?? cfg.worker.httpPort;
    const http =
      httpPort === undefined
        ? undefined
        : await startWorkerHttp({ port: httpPort, host: opts.httpHost, ready: () => worker.getState() === 'RUNNING' });
    console.error(
      `worker on task queue "${taskQueue}" (${deps.callbackUrl ? 'webhooks via the bridge' : 'polling: no bridge URL'}; results in ${storeWhere}${http ? `; health at ${http.url}/readyz` : ''}); Ctrl-C stops it`,
    );
    try {
      // The SDK installs SIGINT/SIGTERM handlers: run() resolves once in-flight tasks are drained.
      await worker.run();
    } finally {
      await http?.close();
    }
  } finally {
    await connection.close();
  }
}
