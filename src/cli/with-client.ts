import type { Client } from '@temporalio/client';
import { withDevStackDefaults } from '../app/local-defaults';
import { type Config, loadConfig } from '../config';
import { connectClient, type ConnectOverrides } from '../temporal/connection';
import { startTracing } from '../tracing/tracing';

export const DEFAULT_UI_URL = 'http://127.0.0.1:8233';

export interface ClientSession {
  client: Client;
  cfg: Config;
  /** The Web UI to link to: a running dev stack's, else the dev server's default. */
  uiUrl: string;
}

/**
 * What every client-side command needs: config (pointed at a running `dev` stack unless
 * TEMPORAL_ADDRESS says otherwise), a Temporal client for the duration of `fn`, closed after.
 * With tracing on, the client's starts open the trace the workflow and its activities join;
 * its spans are sent before the command returns.
 */
export async function withClient<T>(fn: (session: ClientSession) => Promise<T>, connect: ConnectOverrides = {}): Promise<T> {
  const { cfg, uiUrl } = await withDevStackDefaults(loadConfig());
  const tracing = startTracing(cfg.tracing, 'cloro-temporal-cli');
  try {
    const client = await connectClient(cfg, connect, tracing ? [tracing.plugin] : []);
    try {
      return await fn({ client, cfg, uiUrl: uiUrl ?? DEFAULT_UI_URL });
    } finally {
      await client.connection.close();
    }
  } finally {
    await tracing?.shutdown();
  }
}
