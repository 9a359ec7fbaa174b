/**
 * The first schema. Migrations take `Kysely<unknown>` on purpose: they must keep compiling
 * when schema.ts later describes a newer shape. Every key column is `text`, so any key the
 * CLI accepts (and any workflow id Temporal accepts) fits without a length limit to outgrow.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('submissions')
    .addColumn('workflow_id', 'text', (c) => c.primaryKey())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('task_type', 'text', (c) => c.notNull())
    .addColumn('prompt', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer')
    .addColumn('batch_id', 'text')
    .addColumn('monitor_id', 'text')
    .addColumn('run_id', 'text')
    .addColumn('labels', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('SUBMITTED', 'COMPLETED', 'FAILED')`))
    .addColumn('task_id', 'text')
    .addColumn('credits', 'jsonb')
    .addColumn('credits_charged', 'integer')
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull())
    .addColumn('fetched_at', 'timestamptz')
    .execute();
  // A batch's and a monitor run's answers are read together; a task id or key leads to its prompt.
  await db.schema.createIndex('submissions_batch_idx').on('submissions').columns(['batch_id', 'workflow_id']).execute();
  await db.schema.createIndex('submissions_run_idx').on('submissions').columns(['monitor_id', 'run_id']).execute();
  await db.schema.createIndex('submissions_task_idx').on('submissions').column('task_id').execute();
  await db.schema.createIndex('submissions_key_idx').on('submissions').column('idempotency_key').execute();

  await db.schema
    .createTable('answers')
    .addColumn('workflow_id', 'text', (c) => c.primaryKey().references('submissions.workflow_id').onDelete('cascade'))
    .addColumn('task_id', 'text', (c) => c.notNull())
    .addColumn('model', 'text')
    .addColumn('text', 'text')
    .addColumn('markdown', 'text')
    .addColumn('search_queries', 'jsonb')
    .addColumn('raw', 'jsonb', (c) => c.notNull())
    .addColumn('fetched_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('answer_sources')
    .addColumn('workflow_id', 'text', (c) => c.notNull().references('answers.workflow_id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('label', 'text')
    .addColumn('description', 'text')
    .addColumn('raw', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('answer_sources_pk', ['workflow_id', 'position'])
    .execute();

  await db.schema
    .createTable('failures')
    .addColumn('workflow_id', 'text', (c) => c.primaryKey().references('submissions.workflow_id').onDelete('cascade'))
    .addColumn('task_id', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('raw', 'jsonb', (c) => c.notNull())
    .addColumn('fetched_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('orphans')
    .addColumn('task_id', 'text', (c) => c.primaryKey())
    .addColumn('idempotency_key', 'text')
    .addColumn('workflow_id', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('raw', 'jsonb')
    .addColumn('found_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('prompt_sets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('prompt_set_items')
    .addColumn('set_name', 'text', (c) => c.notNull().references('prompt_sets.name').onDelete('cascade'))
    .addColumn('ordinal', 'integer', (c) => c.notNull())
    .addColumn('item', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('prompt_set_items_pk', ['set_name', 'ordinal'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['prompt_set_items', 'prompt_sets', 'orphans', 'failures', 'answer_sources', 'answers', 'submissions']) {
    await db.schema.dropTable(table).execute();
  }
}
