import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Outcome, type PromptRecord, PromptRecordSchema, type ResultStore, type Submission } from './record';

/**
 * The embedded results store: one JSON file per prompt workflow under `dir`. Writes go to
 * a temp file and are renamed into place, so a crash never leaves a half-written answer.
 * One workflow's activities run one at a time, so read-modify-write per file is safe.
 */
export class FileResultStore implements ResultStore {
  constructor(private readonly dir: string) {}

  async saveSubmission(submission: Submission): Promise<void> {
    await this.write({ ...submission, taskId: null, status: 'SUBMITTED', credits: null, result: null, error: null, fetchedAt: null });
  }

  async saveOutcome(workflowId: string, outcome: Outcome): Promise<string> {
    const ref = refFor(workflowId);
    const previous = await this.get(ref);
    if (!previous) throw new Error(`No submission recorded for ${workflowId}`);
    await this.write({ ...previous, ...outcome });
    return ref;
  }

  async get(ref: string): Promise<PromptRecord | undefined> {
    try {
      return PromptRecordSchema.parse(JSON.parse(await readFile(this.fileFor(ref), 'utf8')));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  private async write(record: PromptRecord): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const file = this.fileFor(refFor(record.workflowId));
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(record));
    await rename(tmp, file);
  }

  private fileFor(ref: string): string {
    return path.join(this.dir, `${ref}.json`);
  }
}

/** Workflow ids may hold any character; a ref is a safe file name derived from one. */
export function refFor(workflowId: string): string {
  return workflowId.replace(/[^A-Za-z0-9._-]/g, (c) => `~${c.charCodeAt(0).toString(16)}`);
}
