import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type PromptRecord, PromptRecordSchema } from './record';

/**
 * The JSON files the results store used to be: one file per prompt workflow under `dir`.
 * Nothing writes them any more (the database is the store); what is left reads them, for
 * importing old results into the database.
 */
export class FileResultStore {
  constructor(private readonly dir: string) {}

  /** `ref` is the file name without `.json` (see refFor); undefined when there is no such file. */
  async get(ref: string): Promise<PromptRecord | undefined> {
    try {
      return PromptRecordSchema.parse(JSON.parse(await readFile(this.fileFor(ref), 'utf8')));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  private fileFor(ref: string): string {
    return path.join(this.dir, `${ref}.json`);
  }
}

/** Workflow ids may hold any character; a ref is the safe file name the store derived from one. */
export function refFor(workflowId: string): string {
  return workflowId.replace(/[^A-Za-z0-9._-]/g, (c) => `~${c.charCodeAt(0).toString(16)}`);
}
