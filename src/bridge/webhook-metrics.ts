/**
 * Counts every request to the webhook route and, from the answer's status, why one was
 * rejected. A hook on the whole app (not inside the webhook route's plugin) so it also sees
 * requests refused before the route runs: a bad token, a URL the router cannot match.
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { BridgeMetrics } from '../metrics/bridge-metrics';
import { WEBHOOK_ROUTE_PREFIX } from './token';

/** The webhook route's documented error answers (docs/design.md, "Webhook bridge"). */
const REASONS: Record<number, string> = { 400: 'malformed', 401: 'unauthorized', 404: 'not_found', 413: 'too_large', 503: 'unavailable' };

const plugin: FastifyPluginAsync<{ metrics: BridgeMetrics }> = async (app: FastifyInstance, { metrics }) => {
  app.addHook('onResponse', async (request, reply) => {
    if (!request.url.startsWith(`${WEBHOOK_ROUTE_PREFIX}/`)) return;
    metrics.received.inc();
    if (reply.statusCode >= 400) metrics.rejected.inc({ reason: REASONS[reply.statusCode] ?? 'other' });
  });
};

// Skips Fastify's encapsulation (what the fastify-plugin package does): the hook must apply to the whole app.
export const webhookMetrics = Object.assign(plugin, { [Symbol.for('skip-override')]: true });
