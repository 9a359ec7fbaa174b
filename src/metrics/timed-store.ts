/**
 * The results store with every write timed (`cloro_store_write_duration_seconds`): a proxy
 * over the store's `save*` methods, so the store and the activities stay unaware of metrics.
 */
import type { WorkerMetrics } from './worker-metrics';

export function timedStore<T extends object>(store: T, metrics: Pick<WorkerMetrics, 'storeSeconds'>): T {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string' || !property.startsWith('save')) return value;
      return async (...args: unknown[]) => {
        const end = metrics.storeSeconds.startTimer({ operation: property });
        try {
          const result: unknown = await (value as (...a: unknown[]) => unknown).apply(target, args);
          end({ outcome: 'ok' });
          return result;
        } catch (err) {
          end({ outcome: 'error' });
          throw err;
        }
      };
    },
  });
}
