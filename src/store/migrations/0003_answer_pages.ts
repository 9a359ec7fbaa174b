/** The HTML behind an answer's `html` links, downloaded before cloro deletes it (24 h). */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('answer_pages')
    .addColumn('workflow_id', 'text', (c) => c.notNull().references('answers.workflow_id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('stored', 'truncated', 'failed')`))
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('content', 'text')
    .addColumn('error', 'text')
    .addColumn('fetched_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('answer_pages_pk', ['workflow_id', 'position'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('answer_pages').execute();
}
