/**
 * The results store for library users, who have no CLI config: a PostgreSQL URL, else the
 * embedded database in a data dir this process holds alone. Same database, schema and
 * migrations as the CLI's (`openResultStore`), so the CLI's `result` reads what a user's worker stored.
 */
import path from 'node:path';
import type { DbResultStore } from './db-store';
import { MonitorStore } from './monitors';
import { openResultStore } from './index';

/** Options of {@link openCloroStore}. */
export interface OpenCloroStoreOptions {
  /** `postgres://` or `postgresql://` URL (e.g. `process.env.DATABASE_URL`); absent → the embedded database. */
  databaseUrl?: string;
  /** The state dir whose `db/` holds the embedded database; default `.cloro-temporal` in the working directory (the CLI's). */
  home?: string;
}

/** An open results store: answers, prompt sets and monitors, in one database. */
export interface CloroStore {
  /** Answers, failures and prompt sets: what the activities write and `result` reads. */
  readonly results: DbResultStore;
  /** Monitor definitions, runs and metrics (for monitor runs and the monitor functions). */
  readonly monitors: MonitorStore;
  /** Where the data is, for messages: never a password. */
  readonly where: string;
  /** Closes the database: call it after the workers using it have stopped. */
  close(): Promise<void>;
}

/** Opens (and migrates) the results store; the caller closes it on shutdown, after its workers drained. */
export async function openCloroStore(options: OpenCloroStoreOptions = {}): Promise<CloroStore> {
  const home = path.resolve(options.home ?? '.cloro-temporal');
  const opened = await openResultStore({ home, databaseUrl: options.databaseUrl });
  return { results: opened.results, monitors: new MonitorStore(opened.store.db), where: opened.where, close: () => opened.close() };
}
