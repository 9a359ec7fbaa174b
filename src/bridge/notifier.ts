import type { CloroTaskFinished } from '../../workflows/definitions';

/**
 * What the bridge needs from Temporal, kept tiny so tests use a recording fake.
 * - resolves 'signalled' once Temporal has accepted the signal (only then may the bridge answer 2xx);
 * - resolves 'gone' when the workflow is closed or unknown (nothing to wake; the bridge answers 200
 *   so cloro stops retrying);
 * - throws when Temporal cannot be reached or did not answer in time (the bridge answers 503 and
 *   cloro's retry schedule delivers again later).
 */
export interface Notifier {
  /** Sends `cloroTaskFinished` to the workflow's current run. */
  notify(workflowId: string, signal: CloroTaskFinished): Promise<NotifyOutcome>;
  /** Readiness: resolves when Temporal answers; optional so fakes can skip it. */
  ping?(): Promise<void>;
}

/** `signalled`: Temporal accepted the signal; `gone`: the workflow is closed or unknown. */
export type NotifyOutcome = 'signalled' | 'gone';
