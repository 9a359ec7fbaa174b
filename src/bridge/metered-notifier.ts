/**
 * A Notifier that measures each signal (`cloro_webhook_signal_duration_seconds`) and counts
 * the accepted webhooks by outcome; the webhook route stays unaware of metrics.
 */
import type { BridgeMetrics } from '../metrics/bridge-metrics';
import type { Notifier } from './notifier';

export function meteredNotifier(notifier: Notifier, metrics: BridgeMetrics): Notifier {
  return {
    async notify(workflowId, signal) {
      const end = metrics.signalSeconds.startTimer();
      try {
        const outcome = await notifier.notify(workflowId, signal);
        end({ outcome });
        metrics.accepted.inc({ outcome });
        return outcome;
      } catch (err) {
        end({ outcome: 'unavailable' });
        throw err;
      }
    },
    ...(notifier.ping ? { ping: () => notifier.ping!() } : {}),
  };
}
