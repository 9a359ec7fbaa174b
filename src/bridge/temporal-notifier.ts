/**
 * The real notifier: one signal per delivery through a @temporalio/client Client.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { cloroTaskFinishedSignal, type CloroTaskFinished } from '../../workflows/definitions';
import type { Notifier, NotifyOutcome } from './notifier';

/** Options of {@link temporalNotifier}. */
export interface TemporalNotifierOptions {
  /**
   * Deadline for one signal call, gRPC retries included. Short on purpose: cloro waits on
   * the open webhook request, and when Temporal is down a prompt 503 lets cloro's own
   * retry schedule take over instead of holding connections open.
   */
  timeoutMs?: number;
}

/** Five seconds: well inside cloro's wait on the open webhook request. */
export const DEFAULT_NOTIFY_TIMEOUT_MS = 5_000;

/** The `Notifier` a bridge uses for a Temporal client: one `cloroTaskFinished` signal per delivery, readiness by `getSystemInfo`. */
export function temporalNotifier(client: Client, options: TemporalNotifierOptions = {}): Notifier {
  const timeoutMs = options.timeoutMs ?? DEFAULT_NOTIFY_TIMEOUT_MS;
  const withTimeout = <T>(fn: () => Promise<T>): Promise<T> => client.withDeadline(Date.now() + timeoutMs, fn);

  return {
    async notify(workflowId: string, signal: CloroTaskFinished): Promise<NotifyOutcome> {
      try {
        // No run id: the signal reaches the current run, also after continue-as-new.
        await withTimeout(() => client.workflow.getHandle(workflowId).signal(cloroTaskFinishedSignal, signal));
        return 'signalled';
      } catch (err) {
        // Closed (completed, failed, terminated) or never existed: nobody is waiting any more.
        if (err instanceof WorkflowNotFoundError) return 'gone';
        throw err;
      }
    },
    async ping(): Promise<void> {
      await withTimeout(() => client.workflowService.getSystemInfo({}));
    },
  };
}

/** Who the bridge signals through: a Temporal `Client` (the usual case) or any `Notifier` (tests, custom routing). */
export interface NotifierSource {
  /** A connected `@temporalio/client` Client; signals go to its namespace. */
  client?: Client;
  /** Deadline of one signal call through `client` in ms, retries included (default 5,000). */
  signalTimeoutMs?: number;
  /** Instead of `client`: whatever delivers the signal. Wins when both are given. */
  notifier?: Notifier;
}

/** The notifier a bridge signals through: `notifier` when given, else one over `client`. */
export function resolveNotifier(source: NotifierSource): Notifier {
  if (source.notifier) return source.notifier;
  // Both are optional in the type: without either, fail at setup, not on the first delivery.
  if (!source.client) throw new TypeError('the cloro bridge needs a Temporal `client` or a `notifier`');
  return temporalNotifier(source.client, { timeoutMs: source.signalTimeoutMs });
}
