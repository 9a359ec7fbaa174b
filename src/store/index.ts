import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Config, ConfigError } from '../config';
import { FileResultStore } from './file-store';
import type { ResultStore } from './record';

export type { PromptRecord, ResultStore } from './record';

/** DATABASE_URL unset → JSON files in the state dir; `file:` URL → JSON files there. */
export function openResultStore(cfg: Config): ResultStore {
  const url = cfg.databaseUrl;
  if (url === undefined) return new FileResultStore(path.join(cfg.home, 'results'));
  if (url.startsWith('file:')) return new FileResultStore(fileURLToPath(url));
  throw new ConfigError(`DATABASE_URL: only file: URLs are supported so far (got ${new URL(url).protocol})`);
}
