/**
 * Reading stored answers in bulk, for exports: filters over the submissions table, read a
 * page at a time by keyset (`workflow_id > last`, the primary key's order), so an export of
 * 100,000 prompts holds one page in memory and the last page costs what the first one does.
 */
import type { ExpressionBuilder, Kysely, SelectQueryBuilder } from 'kysely';
import type { TaskType } from '../cloro/schemas';
import type { PromptRecord } from './record';
import { recordFromRows, StoredRowError } from './rows';
import type { Database, SourceRow, SubmissionRow } from './schema';

export const ANSWER_STATUSES = ['SUBMITTED', 'COMPLETED', 'FAILED'] as const;

export interface AnswerFilter {
  batchId?: string;
  /** Submitted at or after. */
  since?: Date;
  engines?: readonly TaskType[];
  country?: string;
  status?: (typeof ANSWER_STATUSES)[number];
}

/** One prompt as a spreadsheet row: everything but the answer's text and sources themselves. */
export interface AnswerSummary {
  workflowId: string;
  idempotencyKey: string;
  taskId: string | null;
  engine: string;
  country: string;
  prompt: string;
  batchId: string | null;
  monitorId: string | null;
  runId: string | null;
  /** As stored (jsonb): an object of strings unless someone wrote otherwise. */
  labels: unknown;
  status: string;
  creditsCharged: number | null;
  model: string | null;
  textLength: number | null;
  sourcesCount: number;
  submittedAt: Date;
  fetchedAt: Date | null;
  errorCode: string | null;
}

export interface PageOptions {
  /** Rows per query (default 500). */
  pageSize?: number;
  /** Stop after this many rows in all. */
  limit?: number;
}

export interface RecordPage {
  records: PromptRecord[];
  /** Rows that did not parse: reported by key, so one bad row never hides the rest. */
  problems: { key: string; message: string }[];
}

const DEFAULT_PAGE_SIZE = 500;

type SubmissionsQuery<O> = SelectQueryBuilder<Database, 'submissions', O>;

function filtered<O>(query: SubmissionsQuery<O>, filter: AnswerFilter): SubmissionsQuery<O> {
  let q = query;
  if (filter.batchId !== undefined) q = q.where('submissions.batch_id', '=', filter.batchId);
  if (filter.since !== undefined) q = q.where('submissions.submitted_at', '>=', filter.since);
  if (filter.engines !== undefined && filter.engines.length > 0) q = q.where('submissions.task_type', 'in', [...filter.engines]);
  if (filter.country !== undefined) q = q.where('submissions.country', '=', filter.country);
  if (filter.status !== undefined) q = q.where('submissions.status', '=', filter.status);
  return q;
}

export async function countAnswers(db: Kysely<Database>, filter: AnswerFilter): Promise<number> {
  const row = await filtered(db.selectFrom('submissions'), filter)
    .select((eb) => eb.cast<number>(eb.fn.countAll(), 'integer').as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
}

const sourcesCount = (eb: ExpressionBuilder<Database, 'submissions'>) =>
  eb
    .selectFrom('answer_sources')
    .select((sub) => sub.cast<number>(sub.fn.countAll(), 'integer').as('n'))
    .whereRef('answer_sources.workflow_id', '=', 'submissions.workflow_id');

function summaryPage(db: Kysely<Database>, filter: AnswerFilter, after: string | undefined, size: number): Promise<AnswerSummary[]> {
  // Filtered before the joins: `filtered` knows the submissions table only.
  let query = filtered(db.selectFrom('submissions'), filter)
    .leftJoin('answers', 'answers.workflow_id', 'submissions.workflow_id')
    .leftJoin('failures', 'failures.workflow_id', 'submissions.workflow_id')
    .select((eb) => [
      'submissions.workflow_id as workflowId',
      'submissions.idempotency_key as idempotencyKey',
      'submissions.task_id as taskId',
      'submissions.task_type as engine',
      'submissions.country',
      'submissions.prompt',
      'submissions.batch_id as batchId',
      'submissions.monitor_id as monitorId',
      'submissions.run_id as runId',
      'submissions.labels',
      'submissions.status',
      'submissions.credits_charged as creditsCharged',
      'answers.model',
      eb.fn<number | null>('length', ['answers.text']).as('textLength'),
      eb.fn.coalesce(sourcesCount(eb), eb.lit(0)).as('sourcesCount'),
      'submissions.submitted_at as submittedAt',
      'submissions.fetched_at as fetchedAt',
      'failures.code as errorCode',
    ]);
  if (after !== undefined) query = query.where('submissions.workflow_id', '>', after);
  return query.orderBy('submissions.workflow_id').limit(size).execute();
}

function submissionPage(db: Kysely<Database>, filter: AnswerFilter, after: string | undefined, size: number): Promise<SubmissionRow[]> {
  let query = filtered(db.selectFrom('submissions').selectAll(), filter);
  if (after !== undefined) query = query.where('submissions.workflow_id', '>', after);
  return query.orderBy('submissions.workflow_id').limit(size).execute();
}

/** Keyset paging shared by both shapes: each page starts after the last workflow id of the one before. */
async function* keyset<T>(
  read: (after: string | undefined, size: number) => Promise<T[]>,
  keyOf: (row: T) => string,
  options: PageOptions,
): AsyncGenerator<T[]> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  let remaining = options.limit ?? Infinity;
  let after: string | undefined;
  while (remaining > 0) {
    const size = Math.min(pageSize, remaining);
    const rows = await read(after, size);
    if (rows.length > 0) yield rows;
    if (rows.length < size) return;
    remaining -= rows.length;
    after = keyOf(rows[rows.length - 1] as T);
  }
}

/** The matching prompts as summary rows, a page at a time, in workflow-id order. */
export function answerSummaries(db: Kysely<Database>, filter: AnswerFilter, options: PageOptions = {}): AsyncGenerator<AnswerSummary[]> {
  return keyset(
    (after, size) => summaryPage(db, filter, after, size),
    (row) => row.workflowId,
    options,
  );
}

/** The matching prompts as full records (text and sources included), a page at a time, in workflow-id order. */
export async function* answerRecords(db: Kysely<Database>, filter: AnswerFilter, options: PageOptions = {}): AsyncGenerator<RecordPage> {
  const pages = keyset(
    (after, size) => submissionPage(db, filter, after, size),
    (row) => row.workflow_id,
    options,
  );
  for await (const submissions of pages) yield await recordsFor(db, submissions);
}

/** The records of a page of submissions: three queries for the page, not three per row. */
export async function recordsFor(db: Kysely<Database>, submissions: readonly SubmissionRow[]): Promise<RecordPage> {
  const page: RecordPage = { records: [], problems: [] };
  if (submissions.length === 0) return page;
  const ids = submissions.map((s) => s.workflow_id);
  const [answers, sources, failures] = await Promise.all([
    db.selectFrom('answers').selectAll().where('workflow_id', 'in', ids).execute(),
    db.selectFrom('answer_sources').selectAll().where('workflow_id', 'in', ids).orderBy('workflow_id').orderBy('position').execute(),
    db.selectFrom('failures').selectAll().where('workflow_id', 'in', ids).execute(),
  ]);
  const answerOf = new Map(answers.map((a) => [a.workflow_id, a]));
  const failureOf = new Map(failures.map((f) => [f.workflow_id, f]));
  const sourcesOf = new Map<string, SourceRow[]>();
  for (const source of sources) {
    const list = sourcesOf.get(source.workflow_id);
    if (list) list.push(source);
    else sourcesOf.set(source.workflow_id, [source]);
  }
  for (const submission of submissions) {
    const id = submission.workflow_id;
    try {
      page.records.push(
        recordFromRows({ submission, answer: answerOf.get(id), sources: sourcesOf.get(id) ?? [], failure: failureOf.get(id) }),
      );
    } catch (err) {
      if (!(err instanceof StoredRowError)) throw err;
      page.problems.push({ key: err.key, message: err.message });
    }
  }
  return page;
}
