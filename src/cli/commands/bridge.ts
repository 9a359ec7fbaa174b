import type { Client } from '@temporalio/client';
import { Command, Option } from 'commander';
import pino from 'pino';
import { z } from 'zod';
import { meteredNotifier } from '../../bridge/metered-notifier';
import { startBridge } from '../../bridge/server';
import { temporalNotifier } from '../../bridge/temporal-notifier';
import { bridgePublicUrl, loadOrCreateBridgeSecret, WEBHOOK_ROUTE_PREFIX } from '../../bridge/token';
import { type Config, loadConfig } from '../../config';
import { LOG_LEVELS } from '../../log-levels';
import { createBridgeMetrics } from '../../metrics/bridge-metrics';
import { startOpsServer } from '../../metrics/ops-server';
import { connectClient } from '../../temporal/connection';
import { startTracing } from '../../tracing/tracing';
import { parseOptions } from '../parse-options';
import { waitForShutdownSignal } from '../shutdown';

const BridgeOptionsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).optional(),
  metricsPort: z.coerce.number().int().min(0).max(65535).optional(),
  host: z.string().min(1),
  logLevel: z.enum(LOG_LEVELS),
});

export function bridgeCommand(): Command {
  return new Command('bridge')
    .description('serve the webhook → Temporal signal bridge (cloro POSTs results here; needs no worker)')
    .option('--port <n>', 'listen port (default: BRIDGE_PORT or 8787)')
    .option('--host <address>', 'listen address (0.0.0.0 in a container)', '127.0.0.1')
    .option(
      '--metrics-port <n>',
      'serve /metrics (and /healthz, /readyz) on this port, apart from the public one (default: BRIDGE_METRICS_PORT; unset → none)',
    )
    .addOption(new Option('--log-level <level>', 'log level').choices(LOG_LEVELS).default('info'))
    .action(async (raw: unknown) => {
      const opts = parseOptions(BridgeOptionsSchema, raw);
      const cfg = loadConfig();
      const bridgeSecret = await loadOrCreateBridgeSecret(cfg);
      // With tracing on, each signal is a span whose context rides in the signal's header, so
      // the worker's handling of that webhook joins the bridge's trace.
      const tracing = startTracing(cfg.tracing, 'cloro-temporal-bridge');
      try {
        const client = await connectClient(cfg, {}, tracing ? [tracing.plugin] : []);
        try {
          await serveUntilSignal(cfg, opts, client, bridgeSecret);
        } finally {
          await client.connection.close();
        }
      } finally {
        await tracing?.shutdown();
      }
    });
}

/** The bridge (and its ops server when asked for) until SIGINT/SIGTERM, then closed. */
async function serveUntilSignal(
  cfg: Config,
  opts: z.infer<typeof BridgeOptionsSchema>,
  client: Client,
  bridgeSecret: string,
): Promise<void> {
  const logger = pino({ level: opts.logLevel, base: { service: 'cloro-bridge' } });
  const port = opts.port ?? cfg.bridge.port;
  const metrics = createBridgeMetrics();
  const notifier = meteredNotifier(temporalNotifier(client), metrics);
  const bridge = await startBridge({
    port,
    host: opts.host,
    notifier,
    bridgeSecret,
    webhookSecret: cfg.cloro.webhookSecret,
    logger,
    metrics,
  });
  const metricsPort = opts.metricsPort ?? cfg.ops.bridgeMetricsPort;
  const ops =
    metricsPort === undefined
      ? undefined
      : await startOpsServer({
          port: metricsPort,
          host: opts.host,
          ready: () =>
            notifier.ping!().then(
              () => true,
              () => false,
            ),
          registry: metrics.registry,
        }).catch(async (err: unknown) => {
          await bridge.close();
          throw err;
        });
  if (!cfg.bridge.publicUrl && port !== cfg.bridge.port) {
    // Workers build callback URLs from the same config; a flag here does not reach them.
    logger.warn(
      { listening: port, workersUse: cfg.bridge.port },
      'BRIDGE_PUBLIC_URL is unset and --port differs from BRIDGE_PORT: set BRIDGE_PORT (or BRIDGE_PUBLIC_URL) for the workers too',
    );
  }
  logger.info(
    {
      callbackBase: `${bridgePublicUrl(cfg).replace(/\/+$/, '')}${WEBHOOK_ROUTE_PREFIX}/`,
      signatures: cfg.cloro.webhookSecret ? 'required' : 'not configured',
      ...(ops ? { metrics: `${ops.url}/metrics` } : {}),
    },
    'ready for cloro webhooks',
  );
  const signal = await waitForShutdownSignal();
  logger.info({ signal }, 'shutting down');
  await bridge.close();
  await ops?.close();
}
