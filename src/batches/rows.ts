/**
 * A batch file (JSONL or CSV) → validated prompt requests, each bad row named by its line
 * number and reason. Nothing here starts anything: the CLI decides what to do with the
 * invalid rows (refuse, or skip them with --skip-invalid) before a single prompt is submitted.
 */
import { CsvError, parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { Delivery } from '../../workflows/definitions';
import { formatZodError } from '../config';
import { deriveIdempotencyKey, type PromptRequest, PromptRequestSchema } from '../prompts/request';

export type BatchFileFormat = 'jsonl' | 'csv';

/** Flags that fill a column a row leaves empty. */
export interface RowDefaults {
  taskType?: string;
  country?: string;
  priority?: number;
  delivery?: Delivery;
}

export interface RawRow {
  /** 1-based line where the row starts. */
  line: number;
  value: unknown;
}

export interface ValidRow {
  line: number;
  request: z.output<typeof PromptRequestSchema>;
}

export interface InvalidRow {
  line: number;
  reason: string;
}

export function formatOf(fileName: string): BatchFileFormat | undefined {
  if (/\.jsonl$|\.ndjson$/i.test(fileName)) return 'jsonl';
  if (/\.csv$/i.test(fileName)) return 'csv';
  return undefined;
}

/**
 * A batch file's bytes as text. UTF-8 only (a BOM is dropped): a file saved as UTF-16 (what
 * some spreadsheet and Windows editors write) would otherwise read as NUL-ridden garbage and
 * every row would fail with a reason that names the garbage instead of the encoding.
 */
export function decodeBatchFile(bytes: Buffer): string {
  const bom16 = bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
  if (bom16 || bytes.subarray(0, 4096).includes(0)) throw new BatchFileEncodingError('not UTF-8 (looks like UTF-16); save it as UTF-8');
  const text = bytes.toString('utf8');
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

export class BatchFileEncodingError extends Error {
  override name = 'BatchFileEncodingError';
}

export function parseRows(text: string, format: BatchFileFormat): { rows: RawRow[]; invalid: InvalidRow[] } {
  return format === 'jsonl' ? parseJsonl(text) : parseCsv(text);
}

function parseJsonl(text: string): { rows: RawRow[]; invalid: InvalidRow[] } {
  const rows: RawRow[] = [];
  const invalid: InvalidRow[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    try {
      rows.push({ line: i + 1, value: JSON.parse(line) });
    } catch (err) {
      invalid.push({ line: i + 1, reason: `not JSON: ${(err as Error).message}` });
    }
  });
  return { rows, invalid };
}

/** Columns named as the request fields; `type` and `key` are accepted as short names, `label.<name>` fills labels. */
const CSV_ALIASES: Record<string, string> = { type: 'taskType', key: 'idempotencyKey' };

/**
 * RFC 4180 (csv-parse): quoted fields may hold commas, doubled quotes and newlines; a quote
 * inside an unquoted field is kept as text. A record's line is where it starts.
 */
function parseCsv(text: string): { rows: RawRow[]; invalid: InvalidRow[] } {
  const { records, error } = csvRecords(text);
  const rows: RawRow[] = [];
  const invalid: InvalidRow[] = error ? [error] : [];
  const header = records.shift();
  if (!header) return { rows, invalid };
  const columns = header.fields.map((name) => CSV_ALIASES[name.trim()] ?? name.trim());
  for (const { line, fields } of records) {
    if (fields.length === 1 && fields[0]!.trim() === '') continue;
    if (fields.length !== columns.length) {
      invalid.push({ line, reason: `has ${fields.length} fields, the header has ${columns.length}` });
      continue;
    }
    const value: Record<string, unknown> = {};
    const labels: Record<string, string> = {};
    columns.forEach((column, i) => {
      const field = fields[i]!;
      if (field === '') return; // empty cell: the default applies
      if (column.startsWith('label.')) labels[column.slice('label.'.length)] = field;
      else value[column] = column === 'priority' && /^\d+$/.test(field.trim()) ? Number(field) : field;
    });
    if (Object.keys(labels).length > 0) value.labels = labels;
    rows.push({ line, value });
  }
  return { rows, invalid };
}

/**
 * The records with the line each starts on, and the first error that stops the parser (named
 * at the line of the record it broke; what came before it is kept, the rest is not read).
 * Lines are counted here from the bytes each record consumed: csv-parse's own `lines` is where
 * a record ends, and counts a CRLF inside quotes as two.
 */
function csvRecords(text: string): { records: Array<{ line: number; fields: string[] }>; error?: InvalidRow } {
  const input = Buffer.from(text);
  const records: Array<{ line: number; fields: string[] }> = [];
  let line = 1;
  let consumed = 0;
  try {
    parse(input, {
      bom: true,
      relax_column_count: true, // a short or long row is reported with the other invalid rows
      relax_quotes: true,
      on_record: (fields, { bytes }) => {
        records.push({ line, fields });
        line += lineBreaks(input.subarray(consumed, bytes).toString());
        consumed = bytes;
        return null; // collected above; nothing left for parse() to return
      },
    });
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    return { records, error: { line, reason: csvErrorReason(err) } };
  }
  return { records };
}

function lineBreaks(text: string): number {
  return text.match(/\r\n|\r|\n/g)?.length ?? 0;
}

function csvErrorReason(err: CsvError): string {
  if (err.code === 'CSV_QUOTE_NOT_CLOSED')
    return 'a quoted field starting in this row is never closed, so the rest of the file was not read';
  return `not valid CSV (${err.message}), so the rest of the file was not read`;
}

/**
 * Validates every row with the request schema (flags fill what a row leaves out) and rejects
 * a row that repeats an earlier one: both would get the same key, and the batch would count
 * one prompt twice.
 */
export function validateRows(rows: RawRow[], defaults: RowDefaults, batchId: string): { valid: ValidRow[]; invalid: InvalidRow[] } {
  const valid: ValidRow[] = [];
  const invalid: InvalidRow[] = [];
  const lineOfKey = new Map<string, number>();
  for (const { line, value } of rows) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      invalid.push({ line, reason: 'must be an object with taskType, prompt, …' });
      continue;
    }
    const parsed = PromptRequestSchema.safeParse({ ...definedOnly(defaults), ...(value as PromptRequest) });
    if (!parsed.success) {
      invalid.push({ line, reason: formatZodError(parsed.error) });
      continue;
    }
    const explicit = parsed.data.idempotencyKey;
    const key = explicit ?? deriveIdempotencyKey(parsed.data, batchKeyScope(batchId));
    const first = lineOfKey.get(key);
    if (first !== undefined) {
      const same = explicit === undefined ? 'same engine, country and prompt' : `same key ${explicit}`;
      invalid.push({ line, reason: `repeats line ${first} (${same})` });
      continue;
    }
    lineOfKey.set(key, line);
    valid.push({ line, request: parsed.data });
  }
  return { valid, invalid };
}

/** A batch's prompts are keyed by the batch id: the same file run again as the same batch pays nothing twice. */
export function batchKeyScope(batchId: string) {
  return { scope: `batch:${batchId}`, runAt: '' };
}

function definedOnly(defaults: RowDefaults): Partial<RowDefaults> {
  return Object.fromEntries(Object.entries(defaults).filter(([, v]) => v !== undefined));
}
