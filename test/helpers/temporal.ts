/**
 * What integration tests use to reach the one Temporal server of the jest run (started by
 * global-setup.ts, or the server TEMPORAL_ADDRESS named). Callers close what they open:
 * `await client.connection.close()`, `await connection.close()`.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection } from '@temporalio/worker';

/** Written by global-setup.ts; read by global-teardown.ts and by tests. */
export interface TestTemporalState {
  address: string;
  namespace: string;
  /** true when TEMPORAL_ADDRESS pointed at a server this run did not start. */
  external: boolean;
  /** The server's Web UI (the dev server's own, or TEMPORAL_UI_URL for an external server). */
  uiUrl?: string;
  /** The dev server's process group (only when this run started it). */
  pid?: number;
  /** The run's temp dir (state file, dev server database); removed by teardown. */
  stateDir?: string;
  startupMs?: number;
  binarySource?: string;
}

/** Names the JSON state file (inside the run's temp dir). */
export const STATE_FILE_ENV = 'CLORO_TEMPORAL_TEST_STATE';

export function testTemporalState(): TestTemporalState {
  const file = process.env[STATE_FILE_ENV];
  if (file) {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as TestTemporalState;
    } catch {
      // fall through to the environment
    }
  }
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address) {
    throw new Error('no test Temporal server: run through jest (--selectProjects integration) so global-setup starts one');
  }
  return { address, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default', external: true };
}

/** A client on the test server's namespace; with a data converter (encryption) when given one. */
export async function testClient(dataConverter?: DataConverter): Promise<Client> {
  const { address, namespace } = testTemporalState();
  const connection = await Connection.connect({ address });
  return new Client({ connection, namespace, ...(dataConverter ? { dataConverter } : {}) });
}

/** A worker connection to the test server. */
export async function testConnection(): Promise<NativeConnection> {
  return NativeConnection.connect({ address: testTemporalState().address });
}

/** The namespace tests should pass to workers and clients. */
export function testNamespace(): string {
  return testTemporalState().namespace;
}

/** A task queue no other test (or earlier run on a reused server) polls: `<name>-<time>-<random>`. */
export function uniqueTaskQueue(name: string): string {
  return `${name}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/**
 * Pids of processes in a process group that are still running. Zombies do not count: some
 * containers' init reaps orphans only every few seconds, and a zombie holds no port.
 * Linux reads /proc; elsewhere any signalable member counts as alive.
 */
export function liveProcessesInGroup(pgid: number): number[] {
  if (process.platform !== 'linux') {
    try {
      process.kill(-pgid, 0);
      return [pgid];
    } catch {
      return [];
    }
  }
  const alive: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid pgrp …" — comm may contain spaces, so parse after the last ")".
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') alive.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return alive;
}
