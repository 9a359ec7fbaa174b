/**
 * The state of one prompt workflow run — what its status query shows, how it was cancelled,
 * when its task was accepted and seen to end — and the summary it returns. The workflow
 * (prompt.ts) drives it; this class makes no Temporal calls, so it is unit-tested without one.
 */
import { MAX_ID_LENGTH, type PromptOutcome, type PromptStatus, type PromptSummary } from './definitions';
import type { PromptAttempts } from './prompt-attempts';
import type { Notifications } from './prompt-notifications';

export class PromptRun {
  readonly status: PromptStatus = {
    phase: 'creating',
    taskId: null,
    cloroStatus: null,
    delivery: null,
    attempts: 0,
    polls: 0,
    notifications: 0,
    lastError: null,
    nextPollAt: null,
  };
  cancelReason: string | null = null;
  /** Workflow time (replay-safe) of the last create's acceptance and of learning its task ended: a batch sizes its window by them. */
  private createdAt: string | null = null;
  private finishedAt: string | null = null;
  private readonly unknownStatuses = new Set<string>();

  constructor(
    private readonly idempotencyKey: string,
    readonly attempts: PromptAttempts,
    readonly notifications: Notifications,
    /** The task type's price (the input's creditsEstimate): what a task whose id was lost cost. */
    private readonly creditsEstimate?: number,
  ) {}

  get cancelled(): boolean {
    return this.cancelReason !== null;
  }

  cancel(reason: string): void {
    this.cancelReason = reason || 'cancelled by request';
  }

  /**
   * A webhook wake-up arrived; duplicates change nothing. Ids longer than any real one are
   * ignored (the bridge bounds them too): an unbounded id would be copied into history again.
   */
  notified(n: { taskId: string; idempotencyKey?: string | null }): 'recorded' | 'duplicate' | 'oversize' {
    if (!isBoundedId(n.taskId) || (n.idempotencyKey != null && !isBoundedId(n.idempotencyKey))) return 'oversize';
    if (!this.notifications.record(n)) return 'duplicate';
    this.status.notifications = this.notifications.count;
    return 'recorded';
  }

  creating(): void {
    this.status.phase = 'creating';
  }

  /** cloro accepted a create (or answered 409 for it), at workflow time `now`. */
  created(webhook: boolean, now: number): void {
    this.createdAt = new Date(now).toISOString();
    this.finishedAt = null;
    this.attempts.onCreate();
    this.status.attempts = this.attempts.created;
    this.status.delivery = webhook ? 'webhook' : 'poll';
  }

  lostResponse(): void {
    this.attempts.onLostResponse();
    this.status.lastError = 'create answered 409: created earlier, response lost';
  }

  adopted(taskId: string): void {
    this.status.taskId = taskId;
    this.status.cloroStatus = 'QUEUED';
    this.status.lastError = null;
  }

  /** The task a webhook named turned out not to be ours: back to waiting for the right one. */
  disowned(): void {
    this.status.taskId = null;
    this.status.cloroStatus = null;
    this.status.lastError = 'a webhook named a task that does not carry our idempotency key; rejected';
  }

  waiting(): void {
    this.status.phase = 'waiting';
  }

  /** The workflow sleeps until `at` at the latest (a webhook or a cancel may wake it sooner). */
  wakesBy(at: number): void {
    this.status.nextPollAt = new Date(at).toISOString();
  }

  fetching(): void {
    this.status.phase = 'fetching';
    this.status.polls++;
  }

  /** A read failed after its retries; the task is kept and read again later. */
  readFailed(error: string | null): void {
    this.status.lastError = error;
  }

  /** The task's status changed at cloro; true when it did (the caller upserts the search attribute). */
  cloroStatusIs(status: string): boolean {
    if (status === this.status.cloroStatus) return false;
    this.status.cloroStatus = status;
    return true;
  }

  /** True the first time a status this client does not know is seen, so it is logged once, not at every read. */
  firstSightOfUnknown(status: string): boolean {
    if (this.unknownStatuses.has(status)) return false;
    this.unknownStatuses.add(status);
    return true;
  }

  /** The task ended at cloro, as far as we can see: `readFrom` is when the wake-up or the read that found it began. */
  ended(readFrom: number): void {
    this.finishedAt = new Date(readFrom).toISOString();
  }

  summary(status: PromptOutcome, extra: Partial<PromptSummary> = {}): PromptSummary {
    const summary: PromptSummary = {
      idempotencyKey: this.idempotencyKey,
      taskId: this.status.taskId,
      status,
      creditsCharged: 0,
      model: null,
      textLength: 0,
      sourcesCount: 0,
      attempts: this.attempts.created,
      orphaned: this.attempts.orphaned,
      resultRef: null,
      error: null,
      createdAt: this.createdAt,
      finishedAt: this.finishedAt,
      ...extra,
    };
    // A lost task resubmitted past (maxOrphanResubmits) was billed by cloro too: its price is
    // part of what this prompt cost, as an estimate. ORPHANED outcomes count it themselves.
    const lost = this.attempts.orphansResubmitted;
    if (status === 'ORPHANED' || lost === 0 || this.creditsEstimate === undefined) return summary;
    return { ...summary, creditsCharged: summary.creditsCharged + this.creditsEstimate * lost, creditsEstimated: true };
  }

  /**
   * The task exists at cloro but its id was lost, so cloro's charge cannot be read: report the
   * price of each lost task as estimated credits (0 only when no price was given).
   */
  orphanedSummary(creditsEstimate: number | undefined): PromptSummary {
    const error = { code: 'ORPHANED', message: 'task created but its id was lost; not resubmitted (maxOrphanResubmits)' };
    if (creditsEstimate === undefined) return this.summary('ORPHANED', { error });
    const credits = creditsEstimate * this.attempts.orphaned;
    error.message += `; ~${credits} credits estimated (cloro charges the lost task)`;
    return this.summary('ORPHANED', { creditsCharged: credits, creditsEstimated: true, error });
  }

  cancelledSummary(message = this.cancelReason ?? ''): PromptSummary {
    return this.summary('CANCELLED', { error: { code: 'CANCELLED', message } });
  }

  done(): void {
    this.status.phase = 'done';
    this.status.nextPollAt = null;
  }
}

function isBoundedId(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;
}
