/**
 * Brings a database to the latest schema. Safe to run at every start and from several
 * processes at once: Kysely's Postgres adapter holds a session advisory lock around the run,
 * and the run itself is one transaction that re-reads which migrations are applied, so a
 * second migrator waits and then finds nothing to do.
 */
import { type Kysely, Migrator } from 'kysely';
import { migrationProvider } from './migrations';
import type { Database } from './schema';

export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw new Error(`database migration failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
