/**
 * Builds the workers of one deployment: the main worker runs workflows and local activities
 * on the task queue; the API worker runs every activity that calls cloro on
 * `<taskQueue>-api`, whose server-side rate limit (`maxTaskQueueActivitiesPerSecond`) holds
 * for all API workers together — a per-worker limit would multiply with the worker count.
 * The caller owns the connection and the activity dependencies (tests inject their own).
 */
import path from 'node:path';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { type ActivityDeps, createActivities } from '../../activities';
import { apiTaskQueue } from '../../workflows/definitions';

/** Resolves to workflows/index.ts under ts sources and to dist/workflows/index.js once built. */
export const WORKFLOWS_PATH = require.resolve(path.join(__dirname, '..', '..', 'workflows'));

/** cloro allows 1,000 requests/s per endpoint; staying far below leaves room for other clients of the key. */
export const DEFAULT_CLORO_REQUESTS_PER_SECOND = 200;

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** A pre-built bundle (tests bundle once per file); otherwise the worker bundles WORKFLOWS_PATH. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  maxConcurrentActivityTaskExecutions?: number;
  maxConcurrentWorkflowTaskExecutions?: number;
  /** Server-side limit on cloro API activities started per second, across all workers of the queue. */
  cloroRequestsPerSecond?: number;
  /** Activity interceptors (the worker's metrics); both workers get them, since both run activities. */
  interceptors?: WorkerOptions['interceptors'];
  /** After shutdown was asked for, how long running activities may finish before they are cancelled. */
  shutdownGraceTime?: WorkerOptions['shutdownGraceTime'];
  identity?: string;
  /** Worker plugins for both workers (the tracing plugin: its interceptors and the sink for workflow spans). */
  plugins?: WorkerOptions['plugins'];
  /**
   * Worker Deployment Versioning: both workers poll as this version (the API queue joins it,
   * so a pinned workflow's cloro calls run on its own version's code too). Unset → unversioned.
   */
  deployment?: { name: string; buildId: string };
  /** The payload codecs (encryption) of both workers: `dataConverterOption(cfg)` spread in. */
  dataConverter?: WorkerOptions['dataConverter'];
}

/** The two workers run and stop together: neither is any use without the other. */
export class CloroWorkers {
  constructor(
    readonly main: Worker,
    readonly api: Worker,
  ) {}

  /** Resolves when both have stopped (SIGINT/SIGTERM or shutdown()); when one stops, the other is shut down too. */
  async run(): Promise<void> {
    const runs = [this.main.run(), this.api.run()].map((run) => run.finally(() => this.shutdown()));
    const failed = (await Promise.allSettled(runs)).find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Runs both until `done` settles, then shuts both down; a worker failing first fails the call. */
  async runUntil<T>(done: Promise<T>): Promise<T> {
    const running = this.run();
    const stoppedEarly = running.then(() => {
      throw new Error('the workers stopped before the work was done');
    });
    stoppedEarly.catch(() => undefined);
    let result: T;
    try {
      result = await Promise.race([done, stoppedEarly]);
    } catch (err) {
      this.shutdown();
      await running.catch(() => undefined);
      throw err;
    }
    this.shutdown();
    await running;
    return result;
  }

  /** RUNNING while both run; otherwise the state of the one that is not (what a caller needs to decide on shutdown()). */
  getState(): ReturnType<Worker['getState']> {
    const states = [this.main.getState(), this.api.getState()];
    return states.find((state) => state !== 'RUNNING') ?? 'RUNNING';
  }

  shutdown(): void {
    for (const worker of [this.main, this.api]) if (worker.getState() === 'RUNNING') worker.shutdown();
  }
}

export async function createWorker(options: CreateWorkerOptions): Promise<CloroWorkers> {
  const { deps, workflowBundle, cloroRequestsPerSecond, deployment, ...passThrough } = options;
  const rest = { ...passThrough, ...(deployment ? { workerDeploymentOptions: versioned(deployment) } : {}) };
  const activities = createActivities(deps);
  const main = await Worker.create({
    ...rest,
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities,
  });
  const api = await Worker.create({
    ...rest,
    taskQueue: apiTaskQueue(options.taskQueue),
    activities,
    maxTaskQueueActivitiesPerSecond: cloroRequestsPerSecond ?? DEFAULT_CLORO_REQUESTS_PER_SECOND,
  });
  return new CloroWorkers(main, api);
}

/**
 * Each workflow type states its own behaviour (`setWorkflowOptions` next to it: prompts
 * PINNED, batches and monitor runs AUTO_UPGRADE); the default covers a user's workflows on
 * this worker and matches what an unversioned worker does: the next task runs the newest code.
 */
function versioned({ name, buildId }: { name: string; buildId: string }): WorkerOptions['workerDeploymentOptions'] {
  return { version: { deploymentName: name, buildId }, useWorkerVersioning: true, defaultVersioningBehavior: 'AUTO_UPGRADE' };
}
