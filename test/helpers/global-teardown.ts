/**
 * Stops the dev server global-setup started (if any) and removes the run's temp dir.
 * Falls back to the process group in the state file if the in-process handle is gone.
 */
import { promises as fs } from 'node:fs';
import type { DevServer } from '../../src/temporal/dev-server';
import { DEV_SERVER_GLOBAL } from './global-setup';
import { STATE_FILE_ENV, type TestTemporalState } from './temporal';

export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as Record<string, unknown>;
  const server = holder[DEV_SERVER_GLOBAL] as DevServer | undefined;
  const state = await readState();
  if (server) {
    await server.stop();
    delete holder[DEV_SERVER_GLOBAL];
  } else if (state?.pid && !state.external) {
    killGroup(state.pid);
  }
  if (state?.stateDir) await fs.rm(state.stateDir, { recursive: true, force: true });
}

async function readState(): Promise<TestTemporalState | undefined> {
  const file = process.env[STATE_FILE_ENV];
  if (!file) return undefined;
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as TestTemporalState;
  } catch {
    return undefined;
  }
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    // already gone
  }
}
