/**
 * The standalone webhook bridge: a Fastify app with the bridge plugin mounted at the root
 * and the app-level routes (health, readiness) around it; everything configured, nothing
 * listening. `server.ts` listens; tests call `app.inject()`.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { BridgeMetrics } from '../metrics/bridge-metrics';
import { bridgeErrorHandler } from './error-handler';
import { redactCallbackUrl } from './log';
import { cloroBridgePlugin } from './plugin';
import { resolveNotifier, type NotifierSource } from './temporal-notifier';
import { WEBHOOK_ROUTE_PREFIX } from './token';
import type { WebhookSettings } from './webhook-handler';
import { webhookMetrics } from './webhook-metrics';

/** What the standalone bridge app needs: who to signal, how to check deliveries, and a logger. */
export interface BridgeDeps extends NotifierSource, WebhookSettings {
  /** A pino logger; without one the bridge logs nothing. */
  logger?: FastifyBaseLogger;
  /** Counts webhooks received and rejected (by reason); served by the caller on a port of its own. */
  metrics?: BridgeMetrics;
}

/** The standalone bridge as a Fastify app, not listening (tests call `inject()`). */
export function buildBridge(deps: BridgeDeps): FastifyInstance {
  const { logger, metrics, ...webhook } = deps;
  // Resolved once, so readiness pings the same client the webhook route signals through.
  const notifier = resolveNotifier(webhook);
  const app = Fastify({
    // Fastify's own per-request lines would print the URL, token included; we log our own.
    logController: new LogController({ disableRequestLogging: true }),
    // Router-level failures (a malformed percent-encoding) bypass the error handler below;
    // answer them in the same shape instead of echoing the URL back.
    frameworkErrors: (_err, _request, reply: FastifyReply) => {
      void reply.code(400).send({ error: 'bad request' });
    },
    ...(logger
      ? {
          // Child with a redacting `req` serializer: anything Fastify logs about a request
          // (e.g. a failure while writing the response) shows the URL without its token.
          loggerInstance: logger.child(
            {},
            {
              serializers: {
                req: (req: FastifyRequest) => ({ method: req.method, url: redactCallbackUrl(req.url, WEBHOOK_ROUTE_PREFIX) }),
              },
            },
          ),
        }
      : {}),
  });

  app.setErrorHandler(bridgeErrorHandler);

  // A custom 404 so Fastify's default (which logs the full URL) never runs.
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'not found' }));

  app.addHook('onResponse', async (request, reply) => {
    request.log.debug(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        statusCode: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request completed',
    );
  });

  app.get('/healthz', async () => ({ status: 'ok' }));

  // Readiness: can we reach Temporal right now? (Liveness above never depends on Temporal.)
  app.get('/readyz', async (request, reply) => {
    if (!notifier.ping) return { status: 'ok' };
    try {
      await notifier.ping();
      return { status: 'ok' };
    } catch (err) {
      request.log.warn({ reason: err instanceof Error ? err.message : String(err) }, 'readiness check: Temporal unreachable');
      return reply.code(503).send({ status: 'unavailable' });
    }
  });

  if (metrics) void app.register(webhookMetrics, { metrics });

  // Loaded on ready() (inject and listen both await it); nothing to await here.
  void app.register(cloroBridgePlugin, { ...webhook, notifier });

  return app;
}
