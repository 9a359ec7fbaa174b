/**
 * The bridge's Prometheus series, served on its ops port (never the public one). A webhook
 * is received, then either rejected (by reason, from the answer's status), accepted (the
 * signal reached its workflow, or the workflow was gone), or ignored (a task not yet
 * terminal): received = rejected + accepted + ignored.
 */
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export function createBridgeMetrics(registry: Registry = new Registry()) {
  collectDefaultMetrics({ register: registry, prefix: 'cloro_bridge_' });
  const registers = [registry];
  return {
    registry,
    received: new Counter({
      name: 'cloro_webhooks_received_total',
      help: 'Requests to the webhook route',
      registers,
    }),
    rejected: new Counter({
      name: 'cloro_webhooks_rejected_total',
      help: 'Webhooks answered with an error, by reason: unauthorized, malformed, too_large, unavailable (Temporal), not_found, other',
      labelNames: ['reason'] as const,
      registers,
    }),
    accepted: new Counter({
      name: 'cloro_webhooks_accepted_total',
      help: 'Webhooks handed to Temporal, by outcome: signalled, or gone (workflow closed or unknown)',
      labelNames: ['outcome'] as const,
      registers,
    }),
    signalSeconds: new Histogram({
      name: 'cloro_webhook_signal_duration_seconds',
      help: 'From a valid webhook to Temporal accepting its signal (or failing to), by outcome',
      labelNames: ['outcome'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
  };
}

export type BridgeMetrics = ReturnType<typeof createBridgeMetrics>;
