/**
 * `<home>/dev-stack.json`: where a running `dev` stack writes its addresses, so commands in
 * other terminals find it. Kept apart from dev-stack.ts, which starts the stack, so a client
 * command that only reads the file does not load the simulator, bridge and worker.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { TemporalSource } from '../temporal/ensure-temporal';

export const DEV_STACK_FILE = 'dev-stack.json';

/** What `<home>/dev-stack.json` holds: everything another terminal needs, no secrets. */
export interface DevStackAddresses {
  pid: number;
  startedAt: string;
  temporal: { address: string; namespace: string; uiUrl: string | null; source: TemporalSource };
  taskQueue: string;
  /** The cloro the worker talks to; `simulator` when it is the embedded one. */
  cloro: { url: string; simulator: boolean };
  /** Where the bridge listens, and the base of the callback URLs given to cloro (null: no webhooks). */
  bridge: { url: string; callbackBase: string | null };
  /** The results database the stack serves (its embedded one on a local port, no password); absent when DATABASE_URL points elsewhere. */
  database?: { url: string };
}

/** Path of the file under the state dir. */
export function devStackFilePath(home: string): string {
  return path.join(home, DEV_STACK_FILE);
}

/** The addresses of a running stack, or undefined when there is no (readable) file. */
export async function readDevStackFile(file: string): Promise<DevStackAddresses | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as DevStackAddresses;
  } catch {
    return undefined;
  }
}
