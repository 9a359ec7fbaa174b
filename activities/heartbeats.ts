/**
 * Heartbeats for every activity, so that a worker that dies mid-activity (SIGKILL, OOM, a lost
 * host) is noticed within the proxy's heartbeat timeout (seconds) rather than its start-to-close
 * timeout (a minute or more), and the activity is retried on a live worker that much sooner.
 *
 * The first beat goes out a quarter of the heartbeat timeout after the start, so the common
 * activity — one HTTP call or one write, done in well under that — sends none and costs
 * Temporal nothing; a slow one (cloro answering late, a write waiting on a lock) beats at that
 * pace until it ends. An activity whose proxy sets no heartbeat timeout runs unchanged.
 */
import { Context } from '@temporalio/activity';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any activity's signature passes through unchanged
type ActivityFunction = (...args: any[]) => Promise<unknown>;

/** Beats per heartbeat timeout: three beats may be lost to a busy event loop before Temporal gives up on the attempt. */
const BEATS_PER_TIMEOUT = 4;

/** The same activities, each sending heartbeats while it runs (see the file comment). */
export function withHeartbeats<T extends Record<string, ActivityFunction>>(activities: T): T {
  const beating = Object.entries(activities).map(([name, fn]) => [
    name,
    async (...args: unknown[]) => {
      const context = Context.current();
      const timeoutMs = context.info.heartbeatTimeoutMs;
      const timer = timeoutMs ? setInterval(() => context.heartbeat(), timeoutMs / BEATS_PER_TIMEOUT) : undefined;
      try {
        return await fn(...args);
      } finally {
        clearInterval(timer);
      }
    },
  ]);
  return Object.fromEntries(beating) as T;
}
