/**
 * Opens the database: a PostgreSQL server when given a postgres:// URL (production, or the
 * embedded database served by the dev stack), else the embedded PGlite data dir. Either
 * way the caller gets the same Kysely handle, migrated to the latest schema.
 */
import { Kysely, PostgresDialect } from 'kysely';
import { Pool } from 'pg';
import { ConfigError } from '../config';
import { type EmbeddedDatabase, openEmbedded } from './embedded';
import { migrateToLatest } from './migrate';
import { PGliteDialect } from './pglite-dialect';
import type { Database } from './schema';

export interface Store {
  readonly db: Kysely<Database>;
  readonly engine: 'postgres' | 'pglite';
  /** The embedded database, for serveEmbedded(); absent on a server. */
  readonly embedded?: EmbeddedDatabase;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** postgres:// or postgresql:// URL; absent → the embedded database in `dataDir`. */
  url?: string;
  dataDir: string;
  /** Connections to a server (default 10). */
  poolSize?: number;
  /** false → leave the schema alone (tests of the migrator itself). */
  migrate?: boolean;
}

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const store = options.url === undefined ? await openEmbeddedStore(options.dataDir) : openServerStore(options.url, options.poolSize ?? 10);
  if (options.migrate === false) return store;
  try {
    await migrateToLatest(store.db);
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}

function openServerStore(url: string, max: number): Store {
  const protocol = safeProtocol(url);
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
    throw new ConfigError(`DATABASE_URL must be a postgres:// URL (got ${protocol ?? 'something that is not a URL'})`);
  }
  const pool = new Pool({ connectionString: url, max });
  // An idle connection the server drops (restart, failover, shutdown) is reported here; the
  // pool discards it and the next query connects afresh. Unlistened, the event kills the process.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  // Kysely's destroy ends the pool.
  return { db, engine: 'postgres', close: () => db.destroy() };
}

async function openEmbeddedStore(dataDir: string): Promise<Store> {
  const embedded = await openEmbedded(dataDir);
  const refuse = () =>
    embedded.servedAt === undefined
      ? undefined
      : `the embedded database is being served at ${embedded.servedAt}; connect to that URL instead`;
  const db = new Kysely<Database>({ dialect: new PGliteDialect(embedded.pglite, refuse) });
  return {
    db,
    engine: 'pglite',
    embedded,
    async close() {
      await db.destroy();
      await embedded.close();
    },
  };
}

/**
 * The protocol only: the rest of a database URL may hold a password and is never echoed.
 * Only a `scheme://` prefix counts, since `user:password@host` parses as protocol `user:`.
 */
function safeProtocol(url: string): string | undefined {
  try {
    const { protocol } = new URL(url);
    return url.toLowerCase().startsWith(`${protocol}//`) ? protocol : undefined;
  } catch {
    return undefined;
  }
}
