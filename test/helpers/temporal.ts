/**
 * What integration tests use to reach the one Temporal server of the jest run (started by
 * global-setup.ts, or the server TEMPORAL_ADDRESS named). Callers close what they open:
 * `await client.connection.close()`, `await connection.close()`.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';

/** Written by global-setup.ts; read by global-teardown.ts and by tests. */
export interface TestTemporalState {
  address: string;
  namespace: string;
  /** true when TEMPORAL_ADDRESS pointed at a server this run did not start. */
  external: boolean;
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

/** A client on the test server's namespace. */
export async function testClient(): Promise<Client> {
  const { address, namespace } = testTemporalState();
  const connection = await Connection.connect({ address });
  return new Client({ connection, namespace });
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
