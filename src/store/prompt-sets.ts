/**
 * Prompt sets in the database: a large batch's items written once, read by the batch
 * workflow a page at a time. The workflow's `offset` is an ordinal here (it is a byte offset
 * for the JSONL files), and a page is `ordinal >= offset` on the primary key, so the last
 * page of 100,000 items costs what the first one does.
 */
import type { Kysely } from 'kysely';
import { formatZodError } from '../config';
import type { PromptSetPage } from '../../workflows/definitions';
import { BatchItemSchema } from '../batches/prompt-set';
import type { BatchItem } from '../../workflows/definitions';
import { chunks } from './chunks';
import { json, StoredRowError } from './rows';
import type { Database } from './schema';

/** Replaces any set of that name in one transaction: a retried write leaves the same set, never half of one. */
export async function writePromptSet(db: Kysely<Database>, name: string, items: readonly BatchItem[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('prompt_sets').where('name', '=', name).execute();
    await trx.insertInto('prompt_sets').values({ name, total: items.length }).execute();
    let ordinal = 0;
    for (const slice of chunks(items)) {
      await trx
        .insertInto('prompt_set_items')
        .values(slice.map((item) => ({ set_name: name, ordinal: ordinal++, item: json(item) })))
        .execute();
    }
  });
}

export async function readPromptSetPage(db: Kysely<Database>, name: string, offset: number, limit: number): Promise<PromptSetPage> {
  const rows = await db
    .selectFrom('prompt_set_items')
    .select(['ordinal', 'item'])
    .where('set_name', '=', name)
    .where('ordinal', '>=', offset)
    .orderBy('ordinal')
    .limit(limit)
    .execute();
  if (rows.length === 0) {
    const set = await db.selectFrom('prompt_sets').select('total').where('name', '=', name).executeTakeFirst();
    if (!set) throw new Error(`no prompt set named ${name}`);
    return { items: [], nextOffset: offset };
  }
  const items = rows.map(({ ordinal, item }) => {
    const parsed = BatchItemSchema.safeParse(item);
    if (!parsed.success) throw new StoredRowError(`${name}#${ordinal}`, formatZodError(parsed.error));
    return parsed.data;
  });
  return { items, nextOffset: (rows.at(-1)?.ordinal ?? offset) + 1 };
}
