/**
 * What must hold after any fault, read from the three places that record it: the simulator
 * (what cloro created and charged), Temporal (workflows and their histories) and the results
 * store. Returns the figures a scenario's table row shows plus every violation found; the
 * scenario runner fails on the first non-empty list.
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

export interface InvariantReport {
  offered: number;
  accepted: number;
  outcomes: Record<string, number>;
  /** Most tasks cloro created under one idempotency key. */
  maxCreatesPerKey: number;
  /** Tasks created beyond one per prompt, each owned by its summary (`attempts`). */
  resubmits: number;
  creditsCharged: number;
  creditsReported: number;
  creditsEstimated: number;
  violations: string[];
}

const RESUBMIT_SUFFIX = /-r\d+$/;

export async function checkInvariants(input: InvariantInput): Promise<InvariantReport> {
  const violations: string[] = [];
  const summaries = new Map<string, PromptSummary>();
  const notAccepted: string[] = [];

  for (const key of input.keys) {
    const handle = input.client.workflow.getHandle(promptWorkflowId(key));
    try {
      const { status } = await handle.describe();
      if (status.name !== 'COMPLETED') {
        violations.push(`${handle.workflowId}: workflow ${status.name}, not COMPLETED with a summary`);
        continue;
      }
      summaries.set(key, (await handle.result()) as PromptSummary);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      notAccepted.push(key);
    }
  }

  const open = await input.client.workflow.count(`TaskQueue = '${input.taskQueue}' AND ExecutionStatus = 'Running'`);
  if (open.count > 0) violations.push(`${open.count} workflow(s) of task queue ${input.taskQueue} still open`);

  if (input.batch && notAccepted.length !== input.batch.progress.skipped)
    violations.push(`${notAccepted.length} prompts never started, but the batch reports ${input.batch.progress.skipped} skipped`);

  for (const [key, summary] of summaries) {
    if (summary.taskId === null) continue;
    const taskKey = input.taskKeys.get(summary.taskId);
    if (taskKey?.replace(RESUBMIT_SUFFIX, '') !== key)
      violations.push(
        `${key}: ended on task ${summary.taskId}, created under ${taskKey === undefined ? 'no key cloro knows' : `key ${taskKey}`}`,
      );
  }
  violations.push(...(await storeViolations(input.db, summaries)));
  const creates = createViolations(input.stats, summaries, notAccepted);
  violations.push(...creates.violations);

  const all = [...summaries.values()];
  const creditsReported = all.reduce((sum, s) => sum + s.creditsCharged, 0);
  const creditsEstimated = all.filter((s) => s.creditsEstimated).reduce((sum, s) => sum + s.creditsCharged, 0);
  if (creditsReported !== input.stats.credits.charged)
    violations.push(`cloro charged ${input.stats.credits.charged} credits, the prompts report ${creditsReported}`);
  if (input.batch && input.batch.progress.creditsCharged !== creditsReported)
    violations.push(`the batch reports ${input.batch.progress.creditsCharged} credits, its prompts ${creditsReported}`);

  const workflowIds = [...summaries.keys()].map(promptWorkflowId);
  if (input.batch) workflowIds.push(input.batch.workflowId);
  violations.push(...(await secretViolations(input, workflowIds, all)));

  const outcomes: Record<string, number> = {};
  for (const s of all) outcomes[s.status] = (outcomes[s.status] ?? 0) + 1;
  return {
    offered: input.keys.length,
    accepted: summaries.size,
    outcomes,
    maxCreatesPerKey: creates.maxPerKey,
    resubmits: creates.resubmits,
    creditsCharged: input.stats.credits.charged,
    creditsReported,
    creditsEstimated,
    violations,
  };
}

/** The store must record the same terminal outcome Temporal returned, once. */
async function storeViolations(db: Kysely<Database>, summaries: Map<string, PromptSummary>): Promise<string[]> {
  if (summaries.size === 0) return [];
  const ids = [...summaries.keys()].map(promptWorkflowId);
  const rows = await db
    .selectFrom('submissions')
    .leftJoin('answers', 'answers.workflow_id', 'submissions.workflow_id')
    .leftJoin('failures', 'failures.workflow_id', 'submissions.workflow_id')
    .select([
      'submissions.workflow_id as workflowId',
      'submissions.status as status',
      'submissions.task_id as taskId',
      'answers.task_id as answerTaskId',
      'failures.task_id as failureTaskId',
    ])
    .where('submissions.workflow_id', 'in', ids)
    .execute();
  const byId = new Map(rows.map((r) => [r.workflowId, r]));
  const violations: string[] = [];
  for (const [key, summary] of summaries) {
    const id = promptWorkflowId(key);
    const row = byId.get(id);
    if (!row) {
      violations.push(`${id}: ${summary.status} in Temporal, no submission in the store`);
      continue;
    }
    const expected = summary.status === 'COMPLETED' || summary.status === 'FAILED' ? summary.status : 'SUBMITTED';
    if (row.status !== expected) violations.push(`${id}: ${summary.status} in Temporal, ${row.status} in the store`);
    if (summary.status === 'COMPLETED' && row.answerTaskId !== summary.taskId)
      violations.push(`${id}: completed on task ${summary.taskId}, the stored answer is of ${row.answerTaskId ?? 'no task'}`);
    if (summary.status !== 'COMPLETED' && row.answerTaskId !== null) violations.push(`${id}: ${summary.status}, yet an answer is stored`);
    if (row.status === 'FAILED' && row.failureTaskId === null) violations.push(`${id}: FAILED in the store without its failure`);
  }
  return violations;
}

function createViolations(stats: StatsSnapshot, summaries: Map<string, PromptSummary>, notAccepted: string[]) {
  const violations: string[] = [];
  const createdFor = new Map<string, number>();
  let maxPerKey = 0;
  for (const [cloroKey, counts] of Object.entries(stats.creates.byIdempotencyKey)) {
    maxPerKey = Math.max(maxPerKey, counts.created);
    if (counts.created > 1) violations.push(`cloro created ${counts.created} tasks under key ${cloroKey}`);
    const key = cloroKey.replace(RESUBMIT_SUFFIX, '');
    createdFor.set(key, (createdFor.get(key) ?? 0) + counts.created);
  }
  for (const key of createdFor.keys()) {
    if (!summaries.has(key) && !notAccepted.includes(key)) violations.push(`cloro created a task under key ${key}, which no prompt owns`);
  }
  for (const key of notAccepted) {
    if (createdFor.get(key)) violations.push(`prompt ${key} was never started, yet cloro created ${createdFor.get(key)} task(s) for it`);
  }
  let resubmits = 0;
  for (const [key, summary] of summaries) {
    const created = createdFor.get(key) ?? 0;
    resubmits += Math.max(0, created - 1);
    if (created !== summary.attempts)
      violations.push(`${key}: cloro created ${created} task(s), the summary owns up to ${summary.attempts}`);
  }
  return { violations, maxPerKey, resubmits };
}

async function secretViolations(input: InvariantInput, workflowIds: string[], summaries: PromptSummary[]): Promise<string[]> {
  const places: [string, string][] = [['log lines', input.logs]];
  for (const s of summaries) if (s.error) places.push([`error of ${s.idempotencyKey}`, s.error.message]);
  for (const id of workflowIds) {
    const history = await input.client.workflow.getHandle(id).fetchHistory();
    places.push([`history of ${id}`, textOf(history)]);
  }
  const violations: string[] = [];
  for (const [name, secret] of Object.entries(input.secrets)) {
    for (const [where, text] of places) if (text.includes(secret)) violations.push(`the ${name} appears in the ${where}`);
  }
  return violations;
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
