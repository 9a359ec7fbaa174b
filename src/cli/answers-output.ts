/**
 * The `answers` export's three shapes: CSV for spreadsheets (one row per prompt, no answer
 * text), JSON Lines with every record whole, and a short table for a person. Rows are
 * written a page at a time and each write waits for the stream to drain, so an export of
 * any size holds one page in memory.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { Kysely } from 'kysely';
import { type AnswerFilter, type AnswerSummary, answerRecords, answerSummaries, countAnswers } from '../store/answers-query';
import type { Database } from '../store/schema';

export type AnswersFormat = 'table' | 'csv' | 'json';

export interface ExportOptions {
  filter: AnswerFilter;
  format: AnswersFormat;
  limit?: number;
  pageSize?: number;
}

export interface ExportReport {
  rows: number;
  /** Stored rows that did not parse (JSON Lines only: the other shapes read columns, not records). */
  problems: { key: string; message: string }[];
}

/** Rows the table shows; the rest are counted. */
export const TABLE_ROWS = 20;

const CSV_COLUMNS: [string, (row: AnswerSummary) => string | number | null][] = [
  ['workflow_id', (r) => r.workflowId],
  ['idempotency_key', (r) => r.idempotencyKey],
  ['task_id', (r) => r.taskId],
  ['engine', (r) => r.engine],
  ['country', (r) => r.country],
  ['prompt', (r) => r.prompt],
  ['batch_id', (r) => r.batchId],
  ['monitor_id', (r) => r.monitorId],
  ['run_id', (r) => r.runId],
  ['labels', (r) => JSON.stringify(r.labels)],
  ['status', (r) => r.status],
  ['credits_charged', (r) => r.creditsCharged],
  ['model', (r) => r.model],
  ['text_length', (r) => r.textLength],
  ['sources_count', (r) => r.sourcesCount],
  ['submitted_at', (r) => r.submittedAt.toISOString()],
  ['fetched_at', (r) => r.fetchedAt?.toISOString() ?? null],
  ['error_code', (r) => r.errorCode],
];

export const CSV_HEADER = CSV_COLUMNS.map(([name]) => name);

export async function exportAnswers(db: Kysely<Database>, options: ExportOptions, out: Writable): Promise<ExportReport> {
  const report: ExportReport = { rows: 0, problems: [] };
  const paging = { limit: options.limit, pageSize: options.pageSize };
  if (options.format === 'json') {
    for await (const page of answerRecords(db, options.filter, paging)) {
      report.rows += page.records.length;
      report.problems.push(...page.problems);
      if (page.records.length > 0) await write(out, page.records.map((record) => `${JSON.stringify(record)}\n`).join(''));
    }
  } else if (options.format === 'csv') {
    await write(out, stringify([CSV_HEADER]));
    for await (const page of answerSummaries(db, options.filter, paging)) {
      report.rows += page.length;
      await write(out, stringify(page.map((row) => CSV_COLUMNS.map(([, value]) => value(row)))));
    }
  } else {
    const shown = Math.min(TABLE_ROWS, options.limit ?? TABLE_ROWS);
    const rows: AnswerSummary[] = [];
    for await (const page of answerSummaries(db, options.filter, { limit: shown })) rows.push(...page);
    report.rows = rows.length;
    await write(out, table(rows, await countAnswers(db, options.filter)));
  }
  return report;
}

function table(rows: AnswerSummary[], total: number): string {
  const header = ['KEY', 'ENGINE', 'CC', 'STATUS', 'CREDITS', 'MODEL', 'CHARS', 'SRC', 'SUBMITTED', 'PROMPT'];
  const cells = rows.map((r) => [
    clip(r.idempotencyKey, 28),
    r.engine,
    r.country,
    r.errorCode ? `${r.status} ${r.errorCode}` : r.status,
    r.creditsCharged ?? '',
    clip(r.model ?? '', 16),
    r.textLength ?? '',
    r.status === 'COMPLETED' ? r.sourcesCount : '',
    r.submittedAt.toISOString().slice(0, 16).replace('T', ' '),
    clip(r.prompt.replace(/\s+/g, ' '), 50),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => String(row[i]).length)));
  const line = (row: (string | number)[]) => `${row.map((cell, i) => String(cell).padEnd(widths[i] ?? 0)).join('  ')}`.trimEnd();
  const body = rows.length > 0 ? [line(header), ...cells.map(line)].join('\n') + '\n' : '';
  const more = total > rows.length ? `; export them all with --csv or --json (and --out FILE)` : '';
  return `${body}${rows.length} of ${total} ${total === 1 ? 'answer' : 'answers'} shown${more}\n`;
}

const clip = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text);

async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}
