/**
 * The webhook route as a Fastify plugin, mounted in any Fastify app (the standalone bridge
 * in app.ts is one): `app.register(cloroBridgePlugin, { client, bridgeSecret, prefix })`.
 * It is encapsulated on purpose (no fastify-plugin wrapper): its content-type parser and
 * error handler apply to the webhook route only, so the host's other routes keep their own
 * body parsing and error handling. All checks live in webhook-handler.ts; this file only
 * adapts Fastify's request and reply to it.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { bridgeErrorHandler } from './error-handler';
import { redactCallbackUrl } from './log';
import type { RawBody } from './raw-body';
import type { NotifierSource } from './temporal-notifier';
import { WEBHOOK_ROUTE_PREFIX } from './token';
import { createCloroWebhookHandler, type WebhookSettings } from './webhook-handler';

/** Options of {@link cloroBridgePlugin}; Fastify's own `prefix` goes in front of `/webhooks/cloro`. */
export interface CloroBridgePluginOptions extends NotifierSource, WebhookSettings {}

/**
 * Serves `POST <prefix>/webhooks/cloro/<workflowId>/<token>` in your Fastify app:
 * `await app.register(cloroBridgePlugin, { client, bridgeSecret, webhookSecret, prefix: '/api' })`.
 * Give cloro (through the worker's bridge URL) your public base URL with that prefix.
 * Health and readiness routes are yours to add; the standalone bridge has them.
 */
export const cloroBridgePlugin: FastifyPluginAsync<CloroBridgePluginOptions> = async (app, options) => {
  // The host's prefix (register's `prefix` option) comes first, as in the callback URLs a
  // public base URL with that path produces.
  const routePath = `${app.prefix}${WEBHOOK_ROUTE_PREFIX}`;
  const handle = createCloroWebhookHandler({ ...options, routePath });

  // Any content type, left unread: the handler reads the bytes itself after the token
  // check, within the limit, and verifies the signature on exactly what cloro signed.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
  app.setErrorHandler(bridgeErrorHandler);

  // Every method, so a GET on a callback URL gets the handler's 404 rather than the host's,
  // which may log the URL. A wildcard, not `/:workflowId/:token`: the host's router limits
  // parameters to 100 characters by default, and workflow ids may be longer.
  app.all(
    `${WEBHOOK_ROUTE_PREFIX}/*`,
    {
      // The host's own request lines ("incoming request") would print the URL, token included.
      logSerializers: { req: (req: FastifyRequest) => ({ method: req.method, url: redactCallbackUrl(req.url, routePath) }) },
    },
    async (request, reply) => {
      const response = await handle({
        method: request.method,
        url: request.url,
        headers: request.headers,
        body: request.body as RawBody | undefined,
        log: request.log,
      });
      return reply.code(response.status).headers(response.headers).send(response.body);
    },
  );
};
