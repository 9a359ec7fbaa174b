/**
 * The ResultStore on the database (PGlite or PostgreSQL, same statements). Every write is
 * keyed and replaces what the key held inside one transaction, so an activity retried after
 * a lost acknowledgement writes the same rows again and changes nothing. A record's ref is
 * its workflow id: database keys take any character, so there is nothing to escape.
 */
import type { Kysely, Transaction } from 'kysely';
import type { AnswerPage } from '../cloro/pages';
import type { BatchItem, PromptSetPage } from '../../workflows/definitions';
import { chunks } from './chunks';
import * as promptSets from './prompt-sets';
import type { Outcome, PromptRecord, PromptSetStore, ResultStore, Submission } from './record';
import { recordsFor } from './answers-query';
import { answerRows, json, outcomeColumns, recordFromRows, submissionRow } from './rows';
import type { Database } from './schema';

export interface Orphan {
  taskId: string;
  idempotencyKey: string | null;
  workflowId: string | null;
  reason: string;
  /** cloro's task as read, if it was. */
  raw: unknown;
  foundAt: string;
}

export interface BatchListing {
  records: PromptRecord[];
  /** Rows that did not parse: reported, so one bad row never hides the rest. */
  problems: { key: string; message: string }[];
  /** Pass as `after` for the next page; null at the end. */
  next: string | null;
}

export class DbResultStore implements ResultStore, PromptSetStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** A retry or a resubmission starts the record afresh: any earlier outcome goes with it. */
  async saveSubmission(submission: Submission): Promise<void> {
    const row = submissionRow(submission);
    const { workflow_id: workflowId, ...rest } = row;
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('submissions')
        .values(row)
        .onConflict((oc) => oc.column('workflow_id').doUpdateSet(rest))
        .execute();
      await clearOutcome(trx, workflowId);
    });
  }

  async saveOutcome(workflowId: string, outcome: Outcome): Promise<string> {
    await this.db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('submissions')
        .set(outcomeColumns(outcome))
        .where('workflow_id', '=', workflowId)
        .executeTakeFirst();
      if (updated.numUpdatedRows === 0n) throw new Error(`No submission recorded for ${workflowId}`);
      await clearOutcome(trx, workflowId);
      if (outcome.status === 'COMPLETED' && outcome.result) {
        const { answer, sources } = answerRows(workflowId, outcome.taskId, outcome.fetchedAt ?? new Date().toISOString(), outcome.result);
        await trx.insertInto('answers').values(answer).execute();
        for (const slice of chunks(sources)) await trx.insertInto('answer_sources').values(slice).execute();
      }
      if (outcome.status === 'FAILED' && outcome.error) {
        await trx
          .insertInto('failures')
          .values({
            workflow_id: workflowId,
            task_id: outcome.taskId,
            code: outcome.error.code,
            message: outcome.error.message,
            raw: json(outcome.error),
            fetched_at: outcome.fetchedAt ?? new Date().toISOString(),
          })
          .execute();
      }
    });
    return workflowId;
  }

  /** The downloaded HTML pages of a completed answer (written after it; replaced whole). */
  async saveAnswerPages(workflowId: string, pages: readonly AnswerPage[], fetchedAt: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('answer_pages').where('workflow_id', '=', workflowId).execute();
      if (pages.length === 0) return;
      await trx
        .insertInto('answer_pages')
        .values(
          pages.map((p) => ({
            workflow_id: workflowId,
            position: p.position,
            url: p.url,
            status: p.status,
            bytes: p.bytes,
            content: p.content,
            error: p.error,
            fetched_at: fetchedAt,
          })),
        )
        .execute();
    });
  }

  async answerPages(workflowId: string): Promise<AnswerPage[]> {
    const rows = await this.db.selectFrom('answer_pages').selectAll().where('workflow_id', '=', workflowId).orderBy('position').execute();
    return rows.map((r) => ({ position: r.position, url: r.url, status: r.status, bytes: r.bytes, content: r.content, error: r.error }));
  }

  /** Throws StoredRowError (naming the key) for a row that does not parse. */
  get(ref: string): Promise<PromptRecord | undefined> {
    return snapshot(this.db, async (trx) => {
      const submission = await trx.selectFrom('submissions').selectAll().where('workflow_id', '=', ref).executeTakeFirst();
      if (!submission) return undefined;
      const [answer, sources, failure] = await Promise.all([
        trx.selectFrom('answers').selectAll().where('workflow_id', '=', ref).executeTakeFirst(),
        trx.selectFrom('answer_sources').selectAll().where('workflow_id', '=', ref).orderBy('position').execute(),
        trx.selectFrom('failures').selectAll().where('workflow_id', '=', ref).executeTakeFirst(),
      ]);
      return recordFromRows({ submission, answer, sources, failure });
    });
  }

  /** One page of a batch's records in workflow-id order. */
  listBatch(batchId: string, options: { after?: string; limit?: number } = {}): Promise<BatchListing> {
    return snapshot(this.db, (trx) => listBatchIn(trx, batchId, options.after, options.limit ?? 100));
  }

  /** Keyed by cloro's task id: the first report of an orphan stands, repeats change nothing. */
  async saveOrphan(orphan: Orphan): Promise<void> {
    await this.db
      .insertInto('orphans')
      .values({
        task_id: orphan.taskId,
        idempotency_key: orphan.idempotencyKey,
        workflow_id: orphan.workflowId,
        reason: orphan.reason,
        raw: orphan.raw === undefined ? null : json(orphan.raw),
        found_at: orphan.foundAt,
      })
      .onConflict((oc) => oc.column('task_id').doNothing())
      .execute();
  }

  writePromptSet(name: string, items: readonly BatchItem[]): Promise<void> {
    return promptSets.writePromptSet(this.db, name, items);
  }

  readPromptSetPage(name: string, offset: number, limit: number): Promise<PromptSetPage> {
    return promptSets.readPromptSetPage(this.db, name, offset, limit);
  }
}

/** Sources go with their answer (ON DELETE CASCADE). */
async function clearOutcome(trx: Transaction<Database>, workflowId: string): Promise<void> {
  await trx.deleteFrom('answers').where('workflow_id', '=', workflowId).execute();
  await trx.deleteFrom('failures').where('workflow_id', '=', workflowId).execute();
}

async function listBatchIn(trx: Transaction<Database>, batchId: string, after: string | undefined, limit: number): Promise<BatchListing> {
  let query = trx.selectFrom('submissions').selectAll().where('batch_id', '=', batchId);
  if (after !== undefined) query = query.where('workflow_id', '>', after);
  const submissions = await query.orderBy('workflow_id').limit(limit).execute();
  const page = await recordsFor(trx, submissions);
  return { ...page, next: submissions.length === limit ? (submissions.at(-1)?.workflow_id ?? null) : null };
}

/** One read snapshot for a record's several tables, so a concurrent write is seen whole or not at all. */
function snapshot<T>(db: Kysely<Database>, read: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.transaction().setIsolationLevel('repeatable read').execute(read);
}
