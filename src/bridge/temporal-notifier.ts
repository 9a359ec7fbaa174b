/**
 * The real notifier: one signal per delivery through a @temporalio/client Client.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { cloroTaskFinishedSignal, type CloroTaskFinished } from '../../workflows/definitions';
import type { Notifier, NotifyOutcome } from './notifier';

export interface TemporalNotifierOptions {
  /**
   * Deadline for one signal call, gRPC retries included. Short on purpose: cloro waits on
   * the open webhook request, and when Temporal is down a prompt 503 lets cloro's own
   * retry schedule take over instead of holding connections open.
   */
  timeoutMs?: number;
}

export const DEFAULT_NOTIFY_TIMEOUT_MS = 5_000;

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
