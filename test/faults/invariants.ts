/**
 * The invariant checker: reads the facts of a scenario from the three places that record
 * it — the simulator (what cloro created and charged), Temporal (workflows and their
 * histories) and the results store — and judges them with invariant-rules.ts. Returns the
 * figures a scenario's table row shows plus every violation found. The rules:
 *
 * - every accepted prompt (its workflow exists) has one terminal outcome in Temporal, and the
 *   store agrees with it (COMPLETED with its answer, FAILED with its failure, else no outcome);
 * - every outcome belongs to a task created under the prompt's own key (never one a webhook
 *   for another workflow named);
 * - each cloro idempotency key created at most once, and the tasks created for a prompt are
 *   exactly the attempts its summary owns up to (deliberate resubmits use `<key>-rN`);
 * - no create for a prompt that was never accepted, and none under a key no prompt owns;
 * - credits cloro charged = credits the prompts (and the batch, if any) report, orphans estimated;
 * - no workflow of the scenario's task queue still open;
 * - no secret in any history, log line or error message.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { StatsSnapshot } from '../../src/simulator';
import type { Database } from '../../src/store/schema';
import { type BatchProgress, type PromptSummary, promptWorkflowId } from '../../workflows/definitions';
import { judge, type InvariantReport, type StoredOutcome } from './invariant-rules';

export interface InvariantInput {
  client: Client;
  db: Kysely<Database>;
  stats: StatsSnapshot;
  /** Every task cloro created, by id: its idempotency key. */
  taskKeys: ReadonlyMap<string, string | null>;
  taskQueue: string;
  /** Idempotency keys of every prompt the scenario offered (a batch's items, or single prompts). */
  keys: readonly string[];
  /** The batch's final progress, when the prompts ran as one. */
  batch?: { workflowId: string; progress: BatchProgress };
  /** Every log line the scenario's processes wrote. */
  logs: string;
  secrets: Record<string, string>;
}

export async function checkInvariants(input: InvariantInput): Promise<InvariantReport> {
  const notClosed: string[] = [];
  const summaries = new Map<string, PromptSummary>();
  const notAccepted: string[] = [];
  for (const key of input.keys) {
    const handle = input.client.workflow.getHandle(promptWorkflowId(key));
    try {
      const { status } = await handle.describe();
      if (status.name === 'COMPLETED') summaries.set(key, (await handle.result()) as PromptSummary);
      else notClosed.push(`${handle.workflowId}: workflow ${status.name}, not COMPLETED with a summary`);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      notAccepted.push(key);
    }
  }
  const { count: open } = await input.client.workflow.count(`TaskQueue = '${input.taskQueue}' AND ExecutionStatus = 'Running'`);

  const texts: [string, string][] = [['log lines', input.logs]];
  const workflowIds = [...summaries.keys()].map(promptWorkflowId);
  if (input.batch) workflowIds.push(input.batch.workflowId);
  for (const id of workflowIds) texts.push([`history of ${id}`, textOf(await input.client.workflow.getHandle(id).fetchHistory())]);

  return judge({
    offered: input.keys.length,
    summaries,
    notAccepted,
    notClosed,
    open,
    taskQueue: input.taskQueue,
    stored: await storedOutcomes(input.db, [...summaries.keys()].map(promptWorkflowId)),
    stats: input.stats,
    taskKeys: input.taskKeys,
    ...(input.batch ? { batch: input.batch.progress } : {}),
    texts,
    secrets: input.secrets,
  });
}

async function storedOutcomes(db: Kysely<Database>, ids: string[]): Promise<StoredOutcome[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('submissions')
    .leftJoin('answers', 'answers.workflow_id', 'submissions.workflow_id')
    .leftJoin('failures', 'failures.workflow_id', 'submissions.workflow_id')
    .select([
      'submissions.workflow_id as workflowId',
      'submissions.status as status',
      'answers.task_id as answerTaskId',
      'failures.task_id as failureTaskId',
    ])
    .where('submissions.workflow_id', 'in', ids)
    .execute();
}

/** Every string in a history, payload bytes decoded: JSON.stringify alone would print bytes as numbers. */
function textOf(value: unknown): string {
  const parts: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') parts.push(v);
    else if (v instanceof Uint8Array) parts.push(Buffer.from(v).toString('utf8'));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  return parts.join('\n');
}
