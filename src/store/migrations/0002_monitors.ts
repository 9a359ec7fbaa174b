/**
 * Brand monitors: their definitions (the file the user gave, as validated), one row per run
 * (when it was due, how its batch ended) and the metrics each run scored. Answers stay in
 * `submissions`/`answers`, tagged with monitor and run ids, so metrics can be recomputed.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('monitors')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('brand', 'text', (c) => c.notNull())
    .addColumn('definition', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // No foreign key to monitors: deleting a monitor keeps its history unless purged.
  await db.schema
    .createTable('monitor_runs')
    .addColumn('run_id', 'text', (c) => c.primaryKey())
    .addColumn('monitor_id', 'text', (c) => c.notNull())
    .addColumn('batch_id', 'text', (c) => c.notNull())
    .addColumn('scheduled_at', 'timestamptz', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz')
    .addColumn('backfilled', 'boolean', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('progress', 'jsonb')
    .execute();
  await db.schema.createIndex('monitor_runs_due_idx').on('monitor_runs').columns(['monitor_id', 'scheduled_at']).execute();

  await db.schema
    .createTable('run_metrics')
    .addColumn('run_id', 'text', (c) => c.primaryKey().references('monitor_runs.run_id').onDelete('cascade'))
    .addColumn('methodology_version', 'integer', (c) => c.notNull())
    .addColumn('metrics', 'jsonb', (c) => c.notNull())
    .addColumn('comparison', 'jsonb')
    .addColumn('computed_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['run_metrics', 'monitor_runs', 'monitors']) await db.schema.dropTable(table).execute();
}
