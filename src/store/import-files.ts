/**
 * Brings what the previous version kept in files into the database: the JSON-file results
 * store (one record per file, written by FileResultStore) and the prompt sets' JSONL files.
 * Idempotent: a record already stored as it is in its file is left alone, anything else is
 * rewritten with the store's keyed writes; a bad file is listed with its reason and the
 * import goes on.
 */
import { opendir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Kysely } from 'kysely';
import { BatchItemSchema } from '../batches/prompt-set';
import { formatZodError } from '../config';
import type { BatchItem } from '../../workflows/definitions';
import type { DbResultStore } from './db-store';
import { writePromptSet } from './prompt-sets';
import { type PromptRecord, PromptRecordSchema } from './record';
import type { Database } from './schema';

export interface UnreadableFile {
  file: string;
  reason: string;
}

export interface ImportReport {
  imported: number;
  /** Already stored, but not as the file has it: rewritten from the file. */
  updated: number;
  unchanged: number;
  unreadable: UnreadableFile[];
}

export async function importFileStore(results: DbResultStore, dir: string): Promise<ImportReport> {
  const report: ImportReport = { imported: 0, updated: 0, unchanged: 0, unreadable: [] };
  for await (const file of filesEndingIn(dir, '.json')) {
    try {
      const record = parseRecord(await readFile(path.join(dir, file), 'utf8'));
      const stored = await results.get(record.workflowId).catch(() => null); // a stored row that no longer parses is replaced
      if (stored && isDeepStrictEqual(comparable(stored), comparable(record))) {
        report.unchanged++;
        continue;
      }
      await save(results, record);
      if (stored === undefined) report.imported++;
      else report.updated++;
    } catch (err) {
      report.unreadable.push({ file, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  report.unreadable.sort((a, b) => a.file.localeCompare(b.file));
  return report;
}

function parseRecord(text: string): PromptRecord {
  const parsed = PromptRecordSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`not a prompt record: ${formatZodError(parsed.error)}`);
  return parsed.data;
}

/** The same writes a prompt workflow makes, so the rows are what the workflow would have left. */
async function save(results: DbResultStore, record: PromptRecord): Promise<void> {
  const { taskId, status, credits, result, error, fetchedAt, ...submission } = record;
  if (status !== 'SUBMITTED' && taskId === null) throw new Error(`${status} without a task id`);
  await results.saveSubmission(submission);
  if (status !== 'SUBMITTED')
    await results.saveOutcome(record.workflowId, { taskId: taskId as string, status, credits, result, error, fetchedAt });
}

/**
 * A record as the database gives it back: absent optional ids are null, timestamps are in
 * toISOString form, and undefined fields are gone (jsonb's key order is no concern:
 * isDeepStrictEqual ignores it).
 */
function comparable(record: PromptRecord): unknown {
  const iso = (value: string | null) => (value === null || Number.isNaN(Date.parse(value)) ? value : new Date(value).toISOString());
  return JSON.parse(
    JSON.stringify({
      ...record,
      priority: record.priority ?? null,
      monitorId: record.monitorId ?? null,
      runId: record.runId ?? null,
      submittedAt: iso(record.submittedAt),
      fetchedAt: iso(record.fetchedAt),
    }),
  );
}

export interface PromptSetImportReport {
  imported: string[];
  /** A set of that name is in the database already; a set is written once and never changed. */
  present: string[];
  unreadable: UnreadableFile[];
}

/** The prompt sets' JSONL files (one item per line), each written as one set named after its file. */
export async function importPromptSets(db: Kysely<Database>, dir: string): Promise<PromptSetImportReport> {
  const report: PromptSetImportReport = { imported: [], present: [], unreadable: [] };
  for await (const file of filesEndingIn(dir, '.jsonl')) {
    const name = file.slice(0, -'.jsonl'.length);
    try {
      const existing = await db.selectFrom('prompt_sets').select('name').where('name', '=', name).executeTakeFirst();
      if (existing) {
        report.present.push(name);
        continue;
      }
      await writePromptSet(db, name, parseItems(await readFile(path.join(dir, file), 'utf8')));
      report.imported.push(name);
    } catch (err) {
      report.unreadable.push({ file, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  return report;
}

function parseItems(text: string): BatchItem[] {
  const lines = text.split('\n');
  return lines.flatMap((line, i) => {
    if (line.trim() === '') return [];
    const parsed = BatchItemSchema.safeParse(jsonOrUndefined(line));
    if (!parsed.success) throw new Error(`line ${i + 1}: ${formatZodError(parsed.error)}`);
    return [parsed.data];
  });
}

function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Names in `dir` with that ending, read as the directory gives them (a 100,000-file dir is never one array). */
async function* filesEndingIn(dir: string, ending: string): AsyncGenerator<string> {
  for await (const entry of await opendir(dir)) if (entry.isFile() && entry.name.endsWith(ending)) yield entry.name;
}
