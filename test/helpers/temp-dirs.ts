/** Temp dirs a test file makes as it goes and removes together in afterAll. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export class TempDirs {
  private readonly dirs: string[] = [];

  async make(prefix: string): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
    this.dirs.push(dir);
    return dir;
  }

  /** Removal promises, for a Promise.allSettled beside the rest of the clean-up. */
  removeAll(): Array<Promise<void>> {
    return this.dirs.map((dir) => rm(dir, { recursive: true, force: true }));
  }
}
