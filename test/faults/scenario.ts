/**
 * Runs one fault scenario: its body within a time bound, then the invariant checker over
 * everything it offered, a table row, and a failure that names the seed to rerun with.
 */
import { checkInvariants } from './invariants';
import { FAULT_SEED, SECRETS, type FaultStack } from './stack';
import { recordRow } from './table';
import type { Simulator } from '../../src/simulator';
import type { BatchProgress } from '../../workflows/definitions';

export interface ScenarioOutcome {
  /** Idempotency keys of every prompt offered. */
  keys: readonly string[];
  batch?: { workflowId: string; progress: BatchProgress };
}

export async function runScenario(name: string, stack: FaultStack, budgetMs: number, body: () => Promise<ScenarioOutcome>): Promise<void> {
  const started = Date.now();
  let outcome: ScenarioOutcome;
  try {
    outcome = await withDeadline(body(), budgetMs, name);
  } catch (err) {
    throw new Error(`fault scenario "${name}" (seed ${FAULT_SEED}) did not finish: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
  await openWorkflowsClosed(stack, SETTLE_MS);
  const report = await checkInvariants({
    client: stack.client(),
    db: stack.store.db,
    stats: stack.sim.sim.stats(),
    taskKeys: stack.taskKeys,
    taskQueue: stack.taskQueue,
    keys: outcome.keys,
    ...(outcome.batch ? { batch: outcome.batch } : {}),
    logs: stack.logs(),
    secrets: SECRETS,
  });
  const row = { scenario: name, seed: FAULT_SEED, seconds: (Date.now() - started) / 1000, ...report };
  recordRow(row);
  console.log(`fault scenario ${JSON.stringify(row)}`);
  if (report.violations.length > 0)
    throw new Error(
      `fault scenario "${name}" (seed ${FAULT_SEED}) broke ${report.violations.length} invariant(s):\n${report.violations.slice(0, 20).join('\n')}`,
    );
}

/**
 * A batch ends once every prompt has reported to it; the prompt's own close can trail its
 * report (after a worker kill, by a workflow task timeout on the dead worker's sticky
 * queue). Stragglers get this long to close before the checker judges "none left open".
 */
const SETTLE_MS = 60_000;

/** Waits, up to `ms`, for no workflow of the scenario's task queue to be running; the checker reports any still open. */
async function openWorkflowsClosed(stack: FaultStack, ms: number): Promise<void> {
  const query = `TaskQueue = '${stack.taskQueue}' AND ExecutionStatus = 'Running'`;
  await until("the scenario's workflows to close", async () => (await stack.client().workflow.count(query)).count === 0, ms).catch(
    () => undefined,
  );
}

/** Rejects after `ms` (the scenario hung); the body keeps running until the stack is closed. */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Polls `ready` every 100 ms until it holds; rejects after `ms`. */
export async function until(what: string, ready: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`waited ${ms} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** How many times the simulator has emitted `event` since this call. */
export function countEvents(sim: Simulator, event: 'task:created' | 'task:finished'): () => number {
  let n = 0;
  sim.on(event, () => n++);
  return () => n;
}
