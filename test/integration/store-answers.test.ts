/**
 * The `answers` export against real databases (PGlite and a PostgreSQL 15 server): filters,
 * CSV quoting, JSON Lines that read back as the stored records, and keyset paging across
 * many pages. Each case writes its own batch, so cases never see each other's rows.
 */
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import type { Kysely } from 'kysely';
import { CSV_HEADER, type ExportOptions, exportAnswers } from '../../src/cli/answers-output';
import { answerSummaries } from '../../src/store/answers-query';
import { DbResultStore } from '../../src/store/db-store';
import { type Outcome, PromptRecordSchema, type Submission } from '../../src/store/record';
import type { Database } from '../../src/store/schema';
import { ENGINES, useEngine } from '../helpers/store-engines';

let seq = 0;
const uniqueId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++seq}`;

function submission(batchId: string, n: number, overrides: Partial<Submission> = {}): Submission {
  return {
    workflowId: `cloro-prompt-${batchId}-${String(n).padStart(4, '0')}`,
    idempotencyKey: `${batchId}-${n}`,
    taskType: 'CHATGPT',
    prompt: `prompt ${n}`,
    country: 'US',
    batchId,
    priority: 5,
    labels: { n: String(n) },
    submittedAt: '2026-01-02T03:04:05.678Z',
    ...overrides,
  };
}

const completed = (text: string): Outcome => ({
  status: 'COMPLETED',
  taskId: uniqueId('task'),
  credits: { creditsToCharge: 5, creditsCharged: 5 },
  result: {
    model: 'gpt-5',
    text,
    sources: [
      { position: 1, url: 'https://acme.example/a', label: 'Acme, "the" shop' },
      { position: 2, url: 'https://review.example/', label: null },
    ],
    newCloroField: { kept: true },
  },
  error: null,
  fetchedAt: '2026-01-02T03:05:00.000Z',
});

const failed: Outcome = {
  status: 'FAILED',
  taskId: 'task-failed',
  credits: null,
  result: null,
  error: { code: 'PROVIDER_ERROR', message: 'the provider failed' },
  fetchedAt: '2026-01-02T03:06:00.000Z',
};

async function exported(db: Kysely<Database>, options: ExportOptions): Promise<{ text: string; rows: number }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const report = await exportAnswers(db, options, out);
  out.end();
  expect(report.problems).toEqual([]);
  return { text: Buffer.concat(chunks).toString('utf8'), rows: report.rows };
}

describe.each(ENGINES)('answers export on %s', (_name, start) => {
  const engine = useEngine(start);
  const db = (): Kysely<Database> => engine().store.db;
  const store = () => new DbResultStore(db());

  /** A batch of three: completed (awkward text), failed, submitted only. */
  async function mixedBatch(): Promise<{ batchId: string; subs: Submission[] }> {
    const batchId = uniqueId('batch');
    const subs = [
      submission(batchId, 1, { prompt: 'shoes, "running" ones\nand boots', labels: { brand: 'a,b' } }),
      submission(batchId, 2, { taskType: 'GEMINI', country: 'DE', submittedAt: '2026-02-01T00:00:00.000Z' }),
      submission(batchId, 3, { taskType: 'PERPLEXITY' }),
    ];
    for (const sub of subs) await store().saveSubmission(sub);
    await store().saveOutcome(subs[0]!.workflowId, completed('Acme, "best"\r\nshoes ✓'));
    await store().saveOutcome(subs[1]!.workflowId, failed);
    return { batchId, subs };
  }

  it('writes CSV that a CSV reader gives back field for field, commas, quotes and newlines included', async () => {
    const { batchId, subs } = await mixedBatch();
    const { text, rows } = await exported(db(), { filter: { batchId }, format: 'csv' });
    expect(rows).toBe(3);
    const [header, ...records] = parse(text) as string[][];
    expect(header).toEqual(CSV_HEADER);
    const byKey = new Map(records.map((r) => [r[1], Object.fromEntries(CSV_HEADER.map((h, i) => [h, r[i]]))]));
    expect(byKey.get(subs[0]!.idempotencyKey)).toMatchObject({
      workflow_id: subs[0]!.workflowId,
      prompt: 'shoes, "running" ones\nand boots',
      labels: '{"brand":"a,b"}',
      status: 'COMPLETED',
      engine: 'CHATGPT',
      credits_charged: '5',
      model: 'gpt-5',
      text_length: String('Acme, "best"\r\nshoes ✓'.length),
      sources_count: '2',
      submitted_at: '2026-01-02T03:04:05.678Z',
      fetched_at: '2026-01-02T03:05:00.000Z',
      error_code: '',
    });
    expect(byKey.get(subs[1]!.idempotencyKey)).toMatchObject({
      status: 'FAILED',
      error_code: 'PROVIDER_ERROR',
      sources_count: '0',
      country: 'DE',
    });
    expect(byKey.get(subs[2]!.idempotencyKey)).toMatchObject({ status: 'SUBMITTED', task_id: '', fetched_at: '', text_length: '' });
  });

  it('writes JSON Lines that parse back as the stored records, text and sources included', async () => {
    const { batchId, subs } = await mixedBatch();
    const { text } = await exported(db(), { filter: { batchId }, format: 'json' });
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    const records = lines.map((line) => PromptRecordSchema.parse(JSON.parse(line)));
    expect(records).toEqual(await Promise.all(subs.map((s) => store().get(s.workflowId))));
    expect(records[0]?.result?.text).toBe('Acme, "best"\r\nshoes ✓');
    expect(records[0]?.result?.sources).toHaveLength(2);
  });

  it('filters by engine, country, status and submission time', async () => {
    const { batchId, subs } = await mixedBatch();
    const keys = async (filter: ExportOptions['filter']) => {
      const found: string[] = [];
      for await (const page of answerSummaries(db(), { batchId, ...filter })) found.push(...page.map((r) => r.idempotencyKey));
      return found;
    };
    const [k1, k2, k3] = subs.map((s) => s.idempotencyKey);
    expect(await keys({ engines: ['GEMINI', 'PERPLEXITY'] })).toEqual([k2, k3]);
    expect(await keys({ country: 'DE' })).toEqual([k2]);
    expect(await keys({ status: 'COMPLETED' })).toEqual([k1]);
    expect(await keys({ status: 'SUBMITTED' })).toEqual([k3]);
    expect(await keys({ since: new Date('2026-01-15T00:00:00Z') })).toEqual([k2]);
    expect(await keys({ country: 'FR' })).toEqual([]);
  });

  it('pages through more rows than one page holds, each row once and in order, and stops at --limit', async () => {
    const batchId = uniqueId('paged');
    const subs = Array.from({ length: 23 }, (_, n) => submission(batchId, n));
    for (const sub of subs) await store().saveSubmission(sub);
    const pages: number[] = [];
    const seen: string[] = [];
    for await (const page of answerSummaries(db(), { batchId }, { pageSize: 5 })) {
      pages.push(page.length);
      seen.push(...page.map((r) => r.workflowId));
    }
    expect(pages).toEqual([5, 5, 5, 5, 3]);
    expect(seen).toEqual(subs.map((s) => s.workflowId));
    const limited = await exported(db(), { filter: { batchId }, format: 'json', limit: 12, pageSize: 5 });
    expect(limited.rows).toBe(12);
    expect(limited.text.trimEnd().split('\n')).toHaveLength(12);
    const csv = await exported(db(), { filter: { batchId }, format: 'csv', pageSize: 5 });
    expect(parse(csv.text)).toHaveLength(24);
  });

  it('shows a table of the first rows and counts them all', async () => {
    const { batchId } = await mixedBatch();
    const { text } = await exported(db(), { filter: { batchId }, format: 'table', limit: 2 });
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^KEY\s+ENGINE\s+CC\s+STATUS/);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('2 of 3 answers shown; export them all with --csv or --json (and --out FILE)');
  });
});
