import { buildBridge } from '../../src/bridge/app';
import { meteredNotifier } from '../../src/bridge/metered-notifier';
import type { Notifier } from '../../src/bridge/notifier';
import { callbackUrl } from '../../src/bridge/token';
import { createBridgeMetrics, type BridgeMetrics } from '../../src/metrics/bridge-metrics';
import { metricValue } from '../helpers/metrics';
import { BRIDGE_SECRET, recordingNotifier, taskDocument } from './bridge/fixtures';

const value = (metrics: BridgeMetrics, name: string, labels: Record<string, string> = {}) => metricValue(metrics.registry, name, labels);

function bridgeWith(notifier: Notifier, metrics: BridgeMetrics) {
  return buildBridge({ notifier: meteredNotifier(notifier, metrics), bridgeSecret: BRIDGE_SECRET, metrics });
}

const path = (workflowId: string): string => new URL(callbackUrl('http://bridge', BRIDGE_SECRET, workflowId)).pathname;
const post = (url: string, body: unknown) => ({
  method: 'POST' as const,
  url,
  headers: { 'content-type': 'application/json' },
  payload: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('bridge metrics', () => {
  it('counts webhooks received, accepted by outcome and rejected by reason, and times the signals', async () => {
    const metrics = createBridgeMetrics();
    const app = bridgeWith(recordingNotifier('signalled'), metrics);
    try {
      expect((await app.inject(post(path('wf-1'), taskDocument()))).statusCode).toBe(200);
      expect((await app.inject(post(path('wf-2'), taskDocument()))).statusCode).toBe(200);
      expect((await app.inject(post(`${path('wf-3')}x`, taskDocument()))).statusCode).toBe(401);
      expect((await app.inject(post(path('wf-4'), '{not json'))).statusCode).toBe(400);
      expect((await app.inject(post(path('wf-5'), taskDocument({ status: 'PROCESSING' })))).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
    expect(await value(metrics, 'cloro_webhooks_received_total')).toBe(5);
    expect(await value(metrics, 'cloro_webhooks_accepted_total', { outcome: 'signalled' })).toBe(2);
    expect(await value(metrics, 'cloro_webhooks_rejected_total', { reason: 'unauthorized' })).toBe(1);
    expect(await value(metrics, 'cloro_webhooks_rejected_total', { reason: 'malformed' })).toBe(1);
    expect(await value(metrics, 'cloro_webhook_signal_duration_seconds', { outcome: 'signalled' })).toBe(2);
  });

  it('counts a workflow that is gone as accepted, and Temporal down as rejected (unavailable)', async () => {
    const metrics = createBridgeMetrics();
    const gone = bridgeWith(recordingNotifier('gone'), metrics);
    const down = bridgeWith(recordingNotifier(new Error('temporal down')), metrics);
    try {
      expect((await gone.inject(post(path('wf-1'), taskDocument()))).statusCode).toBe(200);
      expect((await down.inject(post(path('wf-2'), taskDocument()))).statusCode).toBe(503);
    } finally {
      await gone.close();
      await down.close();
    }
    expect(await value(metrics, 'cloro_webhooks_accepted_total', { outcome: 'gone' })).toBe(1);
    expect(await value(metrics, 'cloro_webhooks_rejected_total', { reason: 'unavailable' })).toBe(1);
    expect(await value(metrics, 'cloro_webhook_signal_duration_seconds', { outcome: 'unavailable' })).toBe(1);
  });

  it('serves no /metrics on the public port: the series go to the ops port', async () => {
    const metrics = createBridgeMetrics();
    const app = bridgeWith(recordingNotifier(), metrics);
    try {
      expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });
});
