/** What `store info` and `store migrate` report: the schema's version and each table's row count. */
import { type Kysely, Migrator } from 'kysely';
import { migrationProvider } from './migrations';
import type { Database } from './schema';

export const TABLES = [
  'submissions',
  'answers',
  'answer_sources',
  'failures',
  'orphans',
  'prompt_sets',
  'prompt_set_items',
] as const satisfies readonly (keyof Database)[];

export async function tableCounts(db: Kysely<Database>): Promise<Record<(typeof TABLES)[number], number>> {
  const counts = await Promise.all(
    TABLES.map(async (table) => {
      const row = await db
        .selectFrom(table)
        .select((eb) => eb.cast<number>(eb.fn.countAll(), 'integer').as('n'))
        .executeTakeFirstOrThrow();
      return [table, row.n] as const;
    }),
  );
  return Object.fromEntries(counts) as Record<(typeof TABLES)[number], number>;
}

export interface SchemaVersion {
  /** The last migration applied, or null on an empty database. */
  version: string | null;
  applied: { name: string; executedAt: Date }[];
  pending: string[];
}

export async function schemaVersion(db: Kysely<Database>): Promise<SchemaVersion> {
  const migrations = await new Migrator({ db, provider: migrationProvider }).getMigrations();
  const applied = migrations.flatMap((m) => (m.executedAt ? [{ name: m.name, executedAt: m.executedAt }] : []));
  return {
    version: applied.at(-1)?.name ?? null,
    applied,
    pending: migrations.filter((m) => !m.executedAt).map((m) => m.name),
  };
}
