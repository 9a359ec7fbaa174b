/**
 * The webhook bridge as a Fastify app factory: everything configured, nothing listening.
 * `server.ts` listens; tests call `app.inject()`.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { BridgeMetrics } from '../metrics/bridge-metrics';
import type { Notifier } from './notifier';
import { WEBHOOK_ROUTE_PREFIX } from './token';
import { webhookMetrics } from './webhook-metrics';
import { webhookRoute } from './webhook-route';

export interface BridgeDeps {
  notifier: Notifier;
  /** Key of the per-workflow callback tokens (see token.ts). */
  bridgeSecret: string;
  /** cloro's `whsec_…` signing secret; when set, every webhook must carry a valid X-Cloro-Signature. */
  webhookSecret?: string;
  /** Largest accepted webhook body in bytes. Webhooks carry full answers, so this is generous. */
  bodyLimit?: number;
  /** A pino logger; without one the bridge logs nothing. */
  logger?: FastifyBaseLogger;
  /** Retry-After (seconds) sent with a 503 when Temporal is unreachable. */
  retryAfterSeconds?: number;
  /** Injectable clock (unix seconds) for the signature tolerance. */
  nowSeconds?: () => number;
  /** Counts webhooks received and rejected (by reason); served by the caller on a port of its own. */
  metrics?: BridgeMetrics;
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
export const DEFAULT_RETRY_AFTER_SECONDS = 60;
/** Temporal accepts workflow ids of up to 1,000 characters; percent-encoding can triple that. */
const MAX_PARAM_LENGTH = 4096;

/** The request line of a callback URL carries the token: log only the part before it. */
function redactUrl(url: string): string {
  if (!url.startsWith(`${WEBHOOK_ROUTE_PREFIX}/`)) return url;
  const [workflowId] = url.slice(WEBHOOK_ROUTE_PREFIX.length + 1).split('/');
  return `${WEBHOOK_ROUTE_PREFIX}/${workflowId ?? ''}/[token]`;
}

export function buildBridge(deps: BridgeDeps): FastifyInstance {
  const app = Fastify({
    // Fastify's own per-request lines would print the URL, token included; we log our own.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // Router-level failures (a malformed percent-encoding) bypass the error handler below;
    // answer them in the same shape instead of echoing the URL back.
    frameworkErrors: (_err, _request, reply: FastifyReply) => {
      void reply.code(400).send({ error: 'bad request' });
    },
    ...(deps.logger
      ? {
          // Child with a redacting `req` serializer: anything Fastify logs about a request
          // (e.g. a failure while writing the response) shows the URL without its token.
          loggerInstance: deps.logger.child(
            {},
            { serializers: { req: (req: FastifyRequest) => ({ method: req.method, url: redactUrl(req.url) }) } },
          ),
        }
      : {}),
  });

  // One error handler for every route: 4xx keep their (safe, Fastify-generated) message,
  // 5xx details stay in our log.
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, request, reply) => {
    const statusCode = err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    const route = request.routeOptions.url ?? 'unmatched';
    if (statusCode >= 500) {
      request.log.error({ err, route, statusCode }, 'request failed');
      return reply.code(statusCode).send({ error: 'internal error' });
    }
    request.log.info({ route, statusCode, code: err.code }, err.message);
    return reply.code(statusCode).send({ error: err.message });
  });

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
    if (!deps.notifier.ping) return { status: 'ok' };
    try {
      await deps.notifier.ping();
      return { status: 'ok' };
    } catch (err) {
      request.log.warn({ reason: err instanceof Error ? err.message : String(err) }, 'readiness check: Temporal unreachable');
      return reply.code(503).send({ status: 'unavailable' });
    }
  });

  if (deps.metrics) void app.register(webhookMetrics, { metrics: deps.metrics });

  // Loaded on ready() (inject and listen both await it); nothing to await here.
  void app.register(webhookRoute, {
    prefix: WEBHOOK_ROUTE_PREFIX,
    notifier: deps.notifier,
    bridgeSecret: deps.bridgeSecret,
    webhookSecret: deps.webhookSecret,
    bodyLimit: deps.bodyLimit ?? DEFAULT_BODY_LIMIT,
    retryAfterSeconds: deps.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS,
    nowSeconds: deps.nowSeconds,
  });

  return app;
}
