/**
 * cloro's request-rate limit: N requests per second per endpoint per key, in one-second
 * windows of real time (a request rate is a real-world rate, whatever the time scale).
 */
import type { Clock } from './clock';

export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly clock: Clock,
  ) {}

  /** Counts one request under `key`; false when it is over the limit. A limit of 0 means none. */
  allow(key: string): boolean {
    if (this.perSecond === 0) return true;
    const now = this.clock.wallNow();
    const window = this.windows.get(key);
    if (!window || now - window.start >= 1000) {
      this.windows.set(key, { start: now, count: 1 });
      return true;
    }
    window.count += 1;
    return window.count <= this.perSecond;
  }
}
