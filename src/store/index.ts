/**
 * Where a process finds the results store, in order: DATABASE_URL (PostgreSQL); the
 * embedded database a running `dev` stack serves (its URL is in dev-stack.json); else the
 * embedded PGlite data dir under the state dir, opened by this process alone (a second
 * opener is told which process holds it).
 */
import path from 'node:path';
import { devStackFilePath, readDevStackFile } from '../app/dev-stack-file';
import { isAlive } from '../app/process-alive';
import type { Config } from '../config';
import { DbResultStore } from './db-store';
import { openStore, type Store } from './db';

export type { PromptRecord, PromptSetStore, ResultStore } from './record';
export { DbResultStore } from './db-store';

export interface OpenedResults {
  readonly results: DbResultStore;
  readonly store: Store;
  /** Where the data is, for messages: never a password. */
  readonly where: string;
  close(): Promise<void>;
}

/** The embedded database's data dir under the state dir. */
export function embeddedDataDir(cfg: Pick<Config, 'home'>): string {
  return path.join(cfg.home, 'db');
}

export async function openResultStore(cfg: Pick<Config, 'home' | 'databaseUrl'>): Promise<OpenedResults> {
  const url = cfg.databaseUrl ?? (await servedByDevStack(cfg.home));
  const store = await openStore({ url, dataDir: embeddedDataDir(cfg) });
  return {
    results: new DbResultStore(store.db),
    store,
    where: url === undefined ? `embedded database in ${embeddedDataDir(cfg)}` : `PostgreSQL at ${hostOf(url)}`,
    close: () => store.close(),
  };
}

/** Opens the store for the length of `fn` (a command's one read or write), closed after. */
export async function withResultStore<T>(
  cfg: Pick<Config, 'home' | 'databaseUrl'>,
  fn: (results: DbResultStore) => Promise<T>,
): Promise<T> {
  const opened = await openResultStore(cfg);
  try {
    return await fn(opened.results);
  } finally {
    await opened.close();
  }
}

/** The URL a running dev stack serves its embedded database at, if one runs. */
async function servedByDevStack(home: string): Promise<string | undefined> {
  const stack = await readDevStackFile(devStackFilePath(home));
  return stack?.database?.url && isAlive(stack.pid) ? stack.database.url : undefined;
}

function hostOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}
