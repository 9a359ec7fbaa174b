/**
 * The embedded engine: PGlite in a data dir under the state dir, opened by one process at a
 * time (lock file), which may serve it over the Postgres wire protocol so other processes
 * reach it with `pg`, exactly as they reach a production server.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { acquireLock } from './lock-file';

export interface EmbeddedDatabase {
  readonly pglite: PGlite;
  readonly dataDir: string;
  /** Set while the database is served: from then on the opener too must connect by URL. */
  servedAt: string | undefined;
  close(): Promise<void>;
}

export async function openEmbedded(dataDir: string): Promise<EmbeddedDatabase> {
  await mkdir(path.dirname(dataDir), { recursive: true });
  const lock = await acquireLock(`${dataDir}.lock`);
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(dataDir);
  } catch (err) {
    await lock.release();
    throw err;
  }
  return {
    pglite,
    dataDir,
    servedAt: undefined,
    async close() {
      try {
        await pglite.close();
      } finally {
        await lock.release();
      }
    },
  };
}

export interface ServedDatabase {
  /** postgres:// URL of the served database, for DATABASE_URL. */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the database on 127.0.0.1 (`port` 0 → a free one). The server queues statements
 * from all connections onto PGlite's single session and gives an open transaction's owner
 * the session until it ends, so connections behave like separate clients for our purposes;
 * session state (SET, session advisory locks) is shared, though, so the store keeps its
 * settings transaction-local and relies on transactions, not session locks, for exclusion.
 */
export async function serveEmbedded(store: { embedded?: EmbeddedDatabase }, port: number, maxConnections = 32): Promise<ServedDatabase> {
  const { embedded } = store;
  if (!embedded) throw new Error('only the embedded database can be served; this store is a PostgreSQL server already');
  const server = new PGLiteSocketServer({ db: embedded.pglite, host: '127.0.0.1', port, maxConnections });
  await server.start();
  const url = `postgres://postgres@${server.getServerConn()}/postgres`;
  embedded.servedAt = url;
  return {
    url,
    async close() {
      await server.stop();
      embedded.servedAt = undefined;
    },
  };
}
