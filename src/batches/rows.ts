/**
 * A batch file (JSONL or CSV) → validated prompt requests, each bad row named by its line
 * number and reason. Nothing here starts anything: the CLI decides what to do with the
 * invalid rows (refuse, or skip them with --skip-invalid) before a single prompt is submitted.
 */
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

/** RFC 4180: quoted fields may hold commas, doubled quotes and newlines; a record's line is where it starts. */
function parseCsv(text: string): { rows: RawRow[]; invalid: InvalidRow[] } {
  const records = csvRecords(text);
  const header = records.shift();
  if (!header) return { rows: [], invalid: [] };
  const columns = header.fields.map((name) => CSV_ALIASES[name.trim()] ?? name.trim());
  const rows: RawRow[] = [];
  const invalid: InvalidRow[] = [];
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

function csvRecords(text: string): Array<{ line: number; fields: string[] }> {
  const records: Array<{ line: number; fields: string[] }> = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      records.push({ line: start, fields });
      fields = [];
      field = '';
      line++;
      start = line;
    } else field += c;
  }
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    records.push({ line: start, fields });
  }
  return records;
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
    const key = parsed.data.idempotencyKey ?? deriveIdempotencyKey(parsed.data, batchKeyScope(batchId));
    const first = lineOfKey.get(key);
    if (first !== undefined) {
      invalid.push({ line, reason: `repeats line ${first} (same engine, country and prompt)` });
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
