import { type Config, loadConfig } from '../config';
import { type OpenedResults, openResultStore } from '../store';

/**
 * What every store command needs: the results database the rest of the CLI would use
 * (DATABASE_URL, else a running dev stack's, else the embedded data dir), closed after `fn`.
 */
export async function withStore<T>(fn: (opened: OpenedResults) => Promise<T>, cfg: Config = loadConfig()): Promise<T> {
  const opened = await openResultStore(cfg);
  try {
    return await fn(opened);
  } finally {
    await opened.close();
  }
}
