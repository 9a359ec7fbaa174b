/**
 * The cloro tasks one prompt may create, and under which keys. The first task uses the
 * prompt's own idempotency key; a resubmission (new task, new charge) happens only where the
 * policy allows it — a FAILED task with a transient code, or a create whose response was
 * lost (409) and whose task cannot be found — and uses `<key>-rN`, so the original key stays
 * reserved for the first task. Pure: unit-tested without Temporal.
 */
import type { PromptPolicy } from './definitions';

export class PromptAttempts {
  /** The key of the current (or next) create. */
  key: string;
  /** cloro tasks created for this prompt so far. */
  created = 0;
  /** Creates answered 409 whose response had been lost. */
  orphaned = 0;
  /** Lost tasks given up on and resubmitted: each was billed by cloro without our knowing its id. */
  orphansResubmitted = 0;
  private failedResubmits = 0;

  constructor(
    private readonly baseKey: string,
    private readonly policy: PromptPolicy,
  ) {
    this.key = baseKey;
  }

  /** cloro accepted a create (or answered 409 for it). */
  onCreate(): void {
    this.created++;
  }

  /** The create answered 409 and the lookup by key found nothing. */
  onLostResponse(): void {
    this.orphaned++;
  }

  /** After a lost create response nobody could name: resubmit (switching the key) only while the policy allows. */
  resubmitOrphan(): boolean {
    if (this.orphaned > this.policy.maxOrphanResubmits) return false;
    this.orphansResubmitted++;
    this.key = resubmitKey(this.baseKey, this.created);
    return true;
  }

  /** After a FAILED task: resubmit only a transient failure, within the bound, while time is left. */
  resubmitFailed(transient: boolean, timeLeft: boolean): boolean {
    if (!transient || this.failedResubmits >= this.policy.maxFailedResubmits || !timeLeft) return false;
    this.failedResubmits++;
    this.key = resubmitKey(this.baseKey, this.created);
    return true;
  }
}

/** cloro's key for a resubmission, numbered by the tasks created before it. */
export function resubmitKey(key: string, created: number): string {
  return `${key}-r${created}`;
}
