/**
 * The invariants as pure rules over facts already read (invariants.ts reads them), so the
 * rules themselves are unit-tested against facts that break each one.
 */
import type { StatsSnapshot } from '../../src/simulator';
import { type BatchProgress, type PromptSummary, promptWorkflowId } from '../../workflows/definitions';

export interface StoredOutcome {
  workflowId: string;
  status: 'SUBMITTED' | 'COMPLETED' | 'FAILED';
  answerTaskId: string | null;
  failureTaskId: string | null;
}

export interface Facts {
  offered: number;
  /** Closed prompts' summaries by idempotency key. */
  summaries: ReadonlyMap<string, PromptSummary>;
  /** Keys whose workflow was never started (a batch skipped them). */
  notAccepted: readonly string[];
  /** Prompts whose workflow exists but did not complete with a summary. */
  notClosed: readonly string[];
  /** Workflows of the scenario's task queue still running. */
  open: number;
  taskQueue: string;
  stored: readonly StoredOutcome[];
  stats: Pick<StatsSnapshot, 'creates' | 'credits'>;
  taskKeys: ReadonlyMap<string, string | null>;
  batch?: Pick<BatchProgress, 'skipped' | 'creditsCharged'>;
  /** Where secrets must not appear: [what, text]. */
  texts: readonly [string, string][];
  secrets: Readonly<Record<string, string>>;
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

export function judge(facts: Facts): InvariantReport {
  const violations = [...facts.notClosed];
  if (facts.open > 0) violations.push(`${facts.open} workflow(s) of task queue ${facts.taskQueue} still open`);
  if (facts.batch && facts.notAccepted.length !== facts.batch.skipped)
    violations.push(`${facts.notAccepted.length} prompts never started, but the batch reports ${facts.batch.skipped} skipped`);
  violations.push(...ownership(facts), ...storeAgreement(facts));
  const creates = createCounts(facts);
  violations.push(...creates.violations);

  const all = [...facts.summaries.values()];
  const creditsReported = all.reduce((sum, s) => sum + s.creditsCharged, 0);
  const creditsEstimated = all.filter((s) => s.creditsEstimated).reduce((sum, s) => sum + s.creditsCharged, 0);
  if (creditsReported !== facts.stats.credits.charged)
    violations.push(`cloro charged ${facts.stats.credits.charged} credits, the prompts report ${creditsReported}`);
  if (facts.batch && facts.batch.creditsCharged !== creditsReported)
    violations.push(`the batch reports ${facts.batch.creditsCharged} credits, its prompts ${creditsReported}`);

  const texts = [
    ...facts.texts,
    ...all.flatMap((s): [string, string][] => (s.error ? [[`error of ${s.idempotencyKey}`, s.error.message]] : [])),
  ];
  for (const [name, secret] of Object.entries(facts.secrets)) {
    for (const [where, text] of texts) if (text.includes(secret)) violations.push(`the ${name} appears in the ${where}`);
  }

  const outcomes: Record<string, number> = {};
  for (const s of all) outcomes[s.status] = (outcomes[s.status] ?? 0) + 1;
  return {
    offered: facts.offered,
    accepted: facts.summaries.size,
    outcomes,
    maxCreatesPerKey: creates.maxPerKey,
    resubmits: creates.resubmits,
    creditsCharged: facts.stats.credits.charged,
    creditsReported,
    creditsEstimated,
    violations,
  };
}

/** Every outcome is of a task cloro created under the prompt's own key (or a resubmission of it). */
function ownership(facts: Facts): string[] {
  const violations: string[] = [];
  for (const [key, summary] of facts.summaries) {
    if (summary.taskId === null) continue;
    const taskKey = facts.taskKeys.get(summary.taskId);
    if (taskKey?.replace(RESUBMIT_SUFFIX, '') !== key)
      violations.push(
        `${key}: ended on task ${summary.taskId}, created under ${taskKey === undefined ? 'no key cloro knows' : `key ${taskKey}`}`,
      );
  }
  return violations;
}

/** The store records the terminal outcome Temporal returned: COMPLETED with its answer, FAILED with its failure, else none. */
function storeAgreement(facts: Facts): string[] {
  const byId = new Map(facts.stored.map((r) => [r.workflowId, r]));
  const violations: string[] = [];
  for (const [key, summary] of facts.summaries) {
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

/** One create per cloro key; per prompt, exactly the attempts its summary owns up to; none for a prompt never started. */
function createCounts(facts: Facts) {
  const violations: string[] = [];
  const createdFor = new Map<string, number>();
  let maxPerKey = 0;
  for (const [cloroKey, counts] of Object.entries(facts.stats.creates.byIdempotencyKey)) {
    maxPerKey = Math.max(maxPerKey, counts.created);
    if (counts.created > 1) violations.push(`cloro created ${counts.created} tasks under key ${cloroKey}`);
    const key = cloroKey.replace(RESUBMIT_SUFFIX, '');
    createdFor.set(key, (createdFor.get(key) ?? 0) + counts.created);
  }
  for (const [key, created] of createdFor) {
    if (facts.notAccepted.includes(key) && created > 0)
      violations.push(`prompt ${key} was never started, yet cloro created ${created} task(s) for it`);
    else if (!facts.summaries.has(key) && !facts.notAccepted.includes(key))
      violations.push(`cloro created a task under key ${key}, which no prompt owns`);
  }
  let resubmits = 0;
  for (const [key, summary] of facts.summaries) {
    const created = createdFor.get(key) ?? 0;
    resubmits += Math.max(0, created - 1);
    if (created !== summary.attempts)
      violations.push(`${key}: cloro created ${created} task(s), the summary owns up to ${summary.attempts}`);
  }
  return { violations, maxPerKey, resubmits };
}
