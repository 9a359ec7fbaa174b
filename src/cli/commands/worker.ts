import os from 'node:os';
import { Runtime } from '@temporalio/worker';
import { Command, Option } from 'commander';
import { z } from 'zod';
import { type BuiltActivityDeps, buildActivityDeps } from '../../app/activity-deps';
import { type Config, loadConfig } from '../../config';
import { activityMetrics } from '../../metrics/activity-metrics';
import { startOpsServer } from '../../metrics/ops-server';
import { timedStore } from '../../metrics/timed-store';
import { createWorkerMetrics } from '../../metrics/worker-metrics';
import { dataConverterOption } from '../../codec/data-converter';
import { connectWorker } from '../../temporal/connection';
import { installWorkerRuntime, LOG_FORMATS } from '../../temporal/runtime';
import { createWorker, DEFAULT_CLORO_REQUESTS_PER_SECOND } from '../../temporal/worker';
import { startTracing, type Tracing } from '../../tracing/tracing';
import { parseOptions } from '../parse-options';

const port = z.coerce.number().int().min(0).max(65535);

const WorkerOptionsSchema = z.object({
  taskQueue: z.string().min(1).optional(),
  maxActivities: z.coerce.number().int().positive(),
  maxWorkflowTasks: z.coerce.number().int().positive(),
  bridgeUrl: z.url().optional(),
  cloroRps: z.coerce.number().positive(),
  httpPort: port.optional(),
  sdkMetricsPort: port.optional(),
  httpHost: z.string().min(1),
  shutdownGrace: z.coerce.number().min(0),
  logFormat: z.enum(LOG_FORMATS),
});
type WorkerOptions = z.infer<typeof WorkerOptionsSchema>;

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
    .option('--http-port <n>', 'serve /healthz, /readyz and /metrics on this port (default: WORKER_HTTP_PORT; unset → none)')
    .option(
      '--sdk-metrics-port <n>',
      "serve the Temporal SDK's Prometheus metrics on this port (default: WORKER_SDK_METRICS_PORT; unset → none)",
    )
    .option('--http-host <address>', 'listen address of both (0.0.0.0 in a container)', '127.0.0.1')
    .option(
      '--shutdown-grace <seconds>',
      'on SIGINT/SIGTERM, how long running activities may finish before they are cancelled (keep it under the stop timeout)',
      '20',
    )
    .addOption(
      new Option('--log-format <format>', 'text for a terminal, json (one object a line) for a log collector')
        .choices(LOG_FORMATS)
        .default('text'),
    )
    .action(async (raw: unknown) => {
      const opts = parseOptions(WorkerOptionsSchema, raw);
      const cfg = loadConfig();
      const sdkMetricsPort = opts.sdkMetricsPort ?? cfg.ops.sdkMetricsPort;
      installWorkerRuntime('INFO', {
        format: opts.logFormat,
        ...(sdkMetricsPort === undefined ? {} : { prometheusBindAddress: hostPort(opts.httpHost, sdkMetricsPort) }),
      });
      const built = await buildActivityDeps(cfg, opts.bridgeUrl ? { bridgeUrl: opts.bridgeUrl } : {});
      const tracing = startTracing(cfg.tracing, 'cloro-temporal-worker');
      try {
        await runWorker(cfg, opts, built, tracing);
      } finally {
        // After the worker drained: an activity still running may be writing an answer.
        await built.close();
        await tracing?.shutdown();
      }
    });
}

async function runWorker(
  cfg: Config,
  opts: WorkerOptions,
  { deps, storeWhere }: BuiltActivityDeps,
  tracing: Tracing | undefined,
): Promise<void> {
  const metrics = createWorkerMetrics();
  const connection = await connectWorker(cfg);
  try {
    const taskQueue = opts.taskQueue ?? cfg.temporal.taskQueue;
    const worker = await createWorker({
      connection,
      namespace: cfg.temporal.namespace,
      taskQueue,
      deps: { ...deps, store: timedStore(deps.store, metrics) },
      interceptors: { activity: [activityMetrics(metrics)] },
      maxConcurrentActivityTaskExecutions: opts.maxActivities,
      maxConcurrentWorkflowTaskExecutions: opts.maxWorkflowTasks,
      cloroRequestsPerSecond: opts.cloroRps,
      shutdownGraceTime: opts.shutdownGrace * 1000,
      identity: `cloro-temporal-worker@${os.hostname()}:${process.pid}`,
      ...(tracing ? { plugins: [tracing.plugin] } : {}),
      ...(cfg.deployment ? { deployment: cfg.deployment } : {}),
      ...dataConverterOption(cfg),
    });
    const opsPort = opts.httpPort ?? cfg.ops.workerPort;
    const ops =
      opsPort === undefined
        ? undefined
        : await startOpsServer({
            port: opsPort,
            host: opts.httpHost,
            ready: () => worker.getState() === 'RUNNING',
            registry: metrics.registry,
          });
    const version = cfg.deployment ? ` as ${cfg.deployment.name}:${cfg.deployment.buildId}` : '';
    const started = `worker on task queue "${taskQueue}"${version} (${deps.callbackUrl ? 'webhooks via the bridge' : 'polling: no bridge URL'}; results in ${storeWhere}${ops ? `; health and metrics at ${ops.url}` : ''}); Ctrl-C stops it`;
    // In JSON mode even this line goes through the runtime's logger, so a collector reads every line.
    if (opts.logFormat === 'json') Runtime.instance().logger.info(started, { taskQueue });
    else console.error(started);

    try {
      // The SDK installs SIGINT/SIGTERM handlers: run() resolves once in-flight tasks are drained.
      await worker.run();
    } finally {
      await ops?.close();
    }
  } finally {
    await connection.close();
  }
}

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
