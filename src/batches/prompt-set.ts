/**
 * Prompt sets: a large batch's items stored once as JSONL under the state dir, so the batch
 * workflow carries a name and a byte offset instead of 100,000 items. Each line is one
 * resolved item (defaults applied, idempotency key derived); pages are read by byte offset,
 * so reading the whole set costs one pass over the file, not one pass per page.
 */
import { open, mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { CountrySchema, IncludeSchema, PrioritySchema, PromptTextSchema, TaskTypeSchema } from '../cloro/schemas';
import { IdempotencyKeySchema } from '../prompts/request';
import type { Config } from '../config';
import { type BatchItem, DELIVERIES, type PromptSetPage } from '../../workflows/definitions';

/** Names become file names: no separators, no dots at the start. */
export const PromptSetNameSchema = z.string().regex(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/, 'must be a plain file name');

export const BatchItemSchema = z.strictObject({
  idempotencyKey: IdempotencyKeySchema,
  request: z.strictObject({
    taskType: TaskTypeSchema,
    payload: z.strictObject({
      prompt: PromptTextSchema.optional(),
      query: PromptTextSchema.optional(),
      country: CountrySchema,
      include: IncludeSchema.optional(),
    }),
    priority: PrioritySchema,
  }),
  delivery: z.enum(DELIVERIES),
  labels: z.record(z.string(), z.string()).optional(),
});

/** The state dir's prompt sets: the CLI writes them, the workers read them (so both must see it). */
export function promptSetDir(cfg: Pick<Config, 'home'>): string {
  return path.join(cfg.home, 'prompt-sets');
}

export function promptSetPath(dir: string, name: string): string {
  return path.join(dir, `${PromptSetNameSchema.parse(name)}.jsonl`);
}

/** Writes the set atomically (temp file + rename): a half-written set is never read. */
export async function writePromptSet(dir: string, name: string, items: readonly BatchItem[]): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = promptSetPath(dir, name);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, items.map((item) => JSON.stringify(item)).join('\n') + '\n');
  await rename(tmp, file);
  return file;
}

const CHUNK_BYTES = 256 * 1024;

/** Up to `limit` items starting at byte `offset`; every line is parsed with zod (the file is a boundary too). */
export async function readPromptSetPage(dir: string, name: string, offset: number, limit: number): Promise<PromptSetPage> {
  const file = await open(promptSetPath(dir, name), 'r');
  try {
    const items: BatchItem[] = [];
    let position = offset;
    let pending = Buffer.alloc(0);
    while (items.length < limit) {
      const chunk = Buffer.alloc(CHUNK_BYTES);
      const { bytesRead } = await file.read(chunk, 0, CHUNK_BYTES, position + pending.length);
      if (bytesRead === 0) {
        // a last line without its newline (a set written by hand)
        const last = pending.toString('utf8').trim();
        if (last !== '') items.push(parseLine(last, name, position));
        position += pending.length;
        break;
      }
      pending = Buffer.concat([pending, chunk.subarray(0, bytesRead)]);
      let newline: number;
      while (items.length < limit && (newline = pending.indexOf(0x0a)) !== -1) {
        const line = pending.subarray(0, newline).toString('utf8').trim();
        if (line !== '') items.push(parseLine(line, name, position));
        position += newline + 1;
        pending = pending.subarray(newline + 1);
      }
    }
    return { items, nextOffset: position };
  } finally {
    await file.close();
  }
}

/** Returns `BatchItem`, so the stored schema cannot drift from what the workflow starts children with. */
function parseLine(line: string, name: string, offset: number): BatchItem {
  const parsed = BatchItemSchema.safeParse(JSON.parse(line));
  if (!parsed.success) throw new Error(`prompt set ${name}: bad item at byte ${offset}: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}
