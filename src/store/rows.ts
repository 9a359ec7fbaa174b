/**
 * PromptRecord ⇄ table rows. An answer is split so its bulky parts are stored once and
 * queryable: text and markdown in columns, each source a row; `raw` keeps the rest of
 * cloro's result as sent (unknown fields included), and reading puts the pieces back.
 * What comes back is parsed with zod, and a row that does not parse is reported by key.
 */
import { formatZodError } from '../config';
import type { TaskResult } from '../cloro/schemas';
import { type Outcome, type PromptRecord, PromptRecordSchema, type Submission } from './record';
import type { AnswerRow, Database, FailureRow, SourceRow, SubmissionRow } from './schema';
import type { Insertable } from 'kysely';

/** A stored row that no longer parses; `key` says which one, so it can be found and fixed. */
export class StoredRowError extends Error {
  override name = 'StoredRowError';
  constructor(
    readonly key: string,
    detail: string,
  ) {
    super(`stored row ${key} does not parse: ${detail}`);
  }
}

export const json = (value: unknown): string => JSON.stringify(value);
const jsonOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));

export function submissionRow(s: Submission): Insertable<Database['submissions']> {
  return {
    workflow_id: s.workflowId,
    idempotency_key: s.idempotencyKey,
    task_type: s.taskType,
    prompt: s.prompt,
    country: s.country,
    priority: s.priority ?? null,
    batch_id: s.batchId,
    monitor_id: s.monitorId ?? null,
    run_id: s.runId ?? null,
    labels: json(s.labels),
    status: 'SUBMITTED',
    task_id: null,
    credits: null,
    credits_charged: null,
    submitted_at: s.submittedAt,
    fetched_at: null,
  };
}

export function outcomeColumns(o: Outcome) {
  return {
    status: o.status,
    task_id: o.taskId,
    credits: jsonOrNull(o.credits),
    credits_charged: o.credits ? (o.credits.creditsCharged ?? o.credits.creditsToCharge) : null,
    fetched_at: o.fetchedAt,
  };
}

export function answerRows(workflowId: string, taskId: string, fetchedAt: string, result: TaskResult) {
  const { text, markdown, sources, ...rest } = result;
  const sourceRows: Insertable<Database['answer_sources']>[] = (sources ?? []).map((source, position) => ({
    workflow_id: workflowId,
    position,
    url: source.url,
    label: source.label ?? null,
    description: source.description ?? null,
    raw: json(source),
  }));
  // An empty sources array stays in raw, so it reads back as [] rather than as absent.
  const raw = sourceRows.length === 0 && sources !== undefined ? { ...rest, sources } : rest;
  const answer: Insertable<Database['answers']> = {
    workflow_id: workflowId,
    task_id: taskId,
    model: result.model ?? null,
    text: text ?? null,
    markdown: markdown ?? null,
    search_queries: jsonOrNull(result.searchQueries),
    raw: json(raw),
    fetched_at: fetchedAt,
  };
  return { answer, sources: sourceRows };
}

export interface StoredRows {
  submission: SubmissionRow;
  answer: AnswerRow | undefined;
  sources: SourceRow[];
  failure: FailureRow | undefined;
}

export function recordFromRows({ submission: s, answer, sources, failure }: StoredRows): PromptRecord {
  const candidate = {
    workflowId: s.workflow_id,
    idempotencyKey: s.idempotency_key,
    taskId: s.task_id,
    taskType: s.task_type,
    prompt: s.prompt,
    country: s.country,
    batchId: s.batch_id,
    priority: s.priority,
    monitorId: s.monitor_id,
    runId: s.run_id,
    labels: s.labels,
    submittedAt: s.submitted_at.toISOString(),
    status: s.status,
    credits: s.credits,
    result: answer ? resultFromRows(answer, sources) : null,
    error: failure ? failure.raw : null,
    fetchedAt: s.fetched_at?.toISOString() ?? null,
  };
  const parsed = PromptRecordSchema.safeParse(candidate);
  if (!parsed.success) throw new StoredRowError(s.workflow_id, formatZodError(parsed.error));
  return parsed.data;
}

/** Not an object → returned as is, so the record's schema rejects it with the row's key. */
function resultFromRows(answer: AnswerRow, sources: SourceRow[]): unknown {
  if (typeof answer.raw !== 'object' || answer.raw === null || Array.isArray(answer.raw)) return answer.raw;
  return {
    ...answer.raw,
    ...(answer.text !== null ? { text: answer.text } : {}),
    ...(answer.markdown !== null ? { markdown: answer.markdown } : {}),
    ...(sources.length > 0 ? { sources: sources.map((row) => row.raw) } : {}),
  };
}
