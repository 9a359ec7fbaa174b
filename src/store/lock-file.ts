/**
 * A lock file for the embedded database's data dir. PGlite can only be opened by one
 * process; a second opener would corrupt it, so it must fail first — and say which process
 * holds the database, since "locked" alone sends people hunting.
 */
import { open, readFile, unlink } from 'node:fs/promises';
import { z } from 'zod';

const HolderSchema = z.object({ pid: z.number().int(), command: z.string(), since: z.string() });
export type LockHolder = z.infer<typeof HolderSchema>;

export class StoreLockedError extends Error {
  override name = 'StoreLockedError';
  constructor(
    readonly lockFile: string,
    readonly holder: LockHolder,
  ) {
    super(
      `the embedded database is in use by process ${holder.pid} (${holder.command}, since ${holder.since}); ` +
        `stop it, or connect to the database it serves with DATABASE_URL (lock file ${lockFile})`,
    );
  }
}

export interface HeldLock {
  release(): Promise<void>;
}

/** Takes the lock or throws StoreLockedError; a lock left by a dead process is taken over. */
export async function acquireLock(lockFile: string): Promise<HeldLock> {
  const me: LockHolder = { pid: process.pid, command: process.argv.slice(1).join(' ') || process.argv0, since: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lockFile, 'wx');
      await handle.writeFile(JSON.stringify(me));
      await handle.close();
      return { release: () => unlink(lockFile).catch(() => undefined) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = await readHolder(lockFile);
    if (holder && isAlive(holder.pid)) throw new StoreLockedError(lockFile, holder);
    // One take-over attempt: if another process took the stale lock in between, it is theirs.
    if (attempt > 0) throw new Error(`could not take over the stale lock file ${lockFile}: another process is taking it`);
    await unlink(lockFile).catch(() => undefined);
  }
}

/** An unreadable or half-written lock file counts as stale (its writer died mid-write). */
async function readHolder(lockFile: string): Promise<LockHolder | undefined> {
  try {
    const parsed = HolderSchema.safeParse(JSON.parse(await readFile(lockFile, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else — still alive.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
