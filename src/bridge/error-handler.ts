/**
 * The bridge's one error handler, set on the standalone app and inside the plugin's scope
 * (where it covers the webhook route only, never the host's own routes): 4xx keep their
 * (safe, Fastify-generated) message, 5xx details stay in our log.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

export function bridgeErrorHandler(
  err: Error & { statusCode?: number; code?: string },
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const statusCode = err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
  const route = request.routeOptions.url ?? 'unmatched';
  if (statusCode >= 500) {
    request.log.error({ err, route, statusCode }, 'request failed');
    return reply.code(statusCode).send({ error: 'internal error' });
  }
  request.log.info({ route, statusCode, code: err.code }, err.message);
  return reply.code(statusCode).send({ error: err.message });
}
