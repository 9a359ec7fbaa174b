/**
 * The webhook flood against real Temporal (`--temporal`): a dev server of its own, with the
 * workflows the deliveries name started on a task queue no worker polls, so they stay open
 * and every signal the bridge sends lands in a history, where it is counted afterwards —
 * the server's word, not the bridge's.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Notifier } from '../src/bridge/notifier';
import { temporalNotifier } from '../src/bridge/temporal-notifier';
import { startDevServer } from '../src/temporal/dev-server';

const TASK_QUEUE = 'webhook-flood-no-worker';

export interface FloodTemporal {
  notifier: Notifier;
  /** Per workflow: the decoded signal payloads in its history. */
  signalsIn(workflowId: string): Promise<string[]>;
  close(): Promise<void>;
}

export async function openFloodTemporal(workflowIds: readonly string[]): Promise<FloodTemporal> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'cloro-flood-'));
  const server = await startDevServer({ home, port: 0, ui: false, serverLogLevel: 'error' });
  const client = new Client({ connection: await Connection.connect({ address: server.address }) });
  // The workflows only need to exist and stay open: the flood checks what reached them.
  for (const workflowId of workflowIds)
    await client.workflow.start('promptWorkflow', { workflowId, taskQueue: TASK_QUEUE, args: [], workflowExecutionTimeout: '1 hour' });
  return {
    notifier: temporalNotifier(client),
    async signalsIn(workflowId) {
      const { events } = await client.workflow.getHandle(workflowId).fetchHistory();
      return (events ?? []).flatMap((e) =>
        (e.workflowExecutionSignaledEventAttributes?.input?.payloads ?? []).map((p) =>
          Buffer.from(p.data ?? new Uint8Array()).toString('utf8'),
        ),
      );
    },
    async close() {
      await client.connection.close();
      await server.stop();
      await rm(home, { recursive: true, force: true });
    },
  };
}
