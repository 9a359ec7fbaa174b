/**
 * Builds the worker that runs our workflows and activities on one task queue. The caller
 * owns the connection and the activity dependencies (tests inject their own).
 */
import path from 'node:path';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { type ActivityDeps, createActivities } from '../../activities';

/** Resolves to workflows/index.ts under ts sources and to dist/workflows/index.js once built. */
export const WORKFLOWS_PATH = require.resolve(path.join(__dirname, '..', '..', 'workflows'));

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** A pre-built bundle (tests bundle once per file); otherwise the worker bundles WORKFLOWS_PATH. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  maxConcurrentActivityTaskExecutions?: number;
  maxConcurrentWorkflowTaskExecutions?: number;
  identity?: string;
}

export async function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  const { deps, workflowBundle, ...rest } = options;
  return Worker.create({
    ...rest,
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities(deps),
  });
}
