/**
 * A batch's books: which children are in flight, how every finished one ended, what was
 * skipped, and the progress the `progress` query shows. Carried whole across
 * continue-as-new. A child's report counts only while its id is in flight, so a duplicate
 * signal, or a report that raced a re-read of the same child, is counted once.
 */
import type {
  BatchCarry,
  BatchCounters,
  BatchProgress,
  BatchStopReason,
  InFlightPrompt,
  PromptOutcome,
  PromptSummary,
} from './definitions';

const COUNTER_FOR: Record<PromptOutcome, keyof BatchCounters> = {
  COMPLETED: 'completed',
  FAILED: 'failed',
  EXPIRED: 'expired',
  CANCELLED: 'cancelled',
  ORPHANED: 'orphaned',
  UNSTORED: 'unstored',
};

/** Also the defaults of counters a run carried before they existed (`unstored`). */
const EMPTY: BatchCounters = {
  completed: 0,
  failed: 0,
  expired: 0,
  cancelled: 0,
  orphaned: 0,
  unstored: 0,
  skipped: 0,
  creditsCharged: 0,
  creditsEstimated: 0,
};

export class BatchLedger {
  readonly counters: BatchCounters;
  private readonly inFlight: Map<string, InFlightPrompt>;
  /** Items taken from the source: submitted, found already submitted, or skipped. */
  cursor: number;
  stopReason: BatchStopReason;
  readonly startedAt: string;
  readonly runs: number;
  /** Reports accepted by this run: the main loop wakes when this moves. */
  reports = 0;
  /** The last report was a cloro credit refusal: stop submitting. */
  outOfCredits = false;

  constructor(
    private readonly batchId: string,
    private readonly total: number,
    carry: Omit<BatchCarry, 'pending' | 'window'> | undefined,
    now: string,
  ) {
    this.counters = { ...EMPTY, ...carry?.counters };
    this.inFlight = new Map(Object.entries(carry?.inFlight ?? {}));
    this.cursor = carry?.cursor ?? 0;
    this.stopReason = carry?.stopReason ?? null;
    this.startedAt = carry?.startedAt ?? now;
    this.runs = (carry?.runs ?? 0) + 1;
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  get creditsCharged(): number {
    return this.counters.creditsCharged;
  }

  get inFlightCredits(): number {
    let sum = 0;
    for (const { credits } of this.inFlight.values()) sum += credits;
    return sum;
  }

  inFlightIds(): string[] {
    return [...this.inFlight.keys()];
  }

  /** Nothing more to submit: every item was taken or the batch stopped. */
  get submissionsDone(): boolean {
    return this.cursor >= this.total;
  }

  get done(): boolean {
    return this.submissionsDone && this.inFlight.size === 0;
  }

  /** Registered before the child starts, so even the fastest report finds its id. */
  launched(workflowId: string, estimatedCredits: number, now: number): void {
    this.inFlight.set(workflowId, { credits: estimatedCredits, launchedAt: now });
    this.cursor += 1;
  }

  /** The prompt the report closes; undefined for a report that is not ours or was counted already. */
  record(workflowId: string, summary: PromptSummary): InFlightPrompt | undefined {
    const prompt = this.inFlight.get(workflowId);
    if (!prompt) return undefined;
    this.inFlight.delete(workflowId);
    this.counters[COUNTER_FOR[summary.status]] += 1;
    this.counters.creditsCharged += summary.creditsCharged;
    if (summary.creditsEstimated) this.counters.creditsEstimated += summary.creditsCharged;
    if (summary.error?.code === 'CloroInsufficientCredits') this.outOfCredits = true;
    this.reports += 1;
    return prompt;
  }

  /** A launched item another batch (or an interactive submit) is already running: its outcome is recorded there, so it is skipped here. */
  runsElsewhere(workflowId: string): void {
    if (!this.inFlight.delete(workflowId)) return;
    this.counters.skipped += 1;
    this.reports += 1;
  }

  /** Stops submissions: every item not taken yet is skipped. The first reason sticks. */
  stop(reason: Exclude<BatchStopReason, null>): void {
    if (this.stopReason !== null) return;
    this.stopReason = reason;
    this.counters.skipped += this.total - this.cursor;
    this.cursor = this.total;
  }

  progress(now: number): Omit<BatchProgress, 'window'> {
    const finished = this.finishedCount();
    const elapsedS = (now - Date.parse(this.startedAt)) / 1000;
    const left = this.total - this.cursor + this.inFlight.size;
    // Workflow-task time: good enough for an estimate, never used to decide anything.
    const etaSeconds = left === 0 ? 0 : finished > 0 && elapsedS > 0 ? Math.round((left * elapsedS) / finished) : null;
    return {
      batchId: this.batchId,
      total: this.total,
      queued: this.total - this.cursor,
      inFlight: this.inFlight.size,
      finished,
      ...this.counters,
      startedAt: this.startedAt,
      etaSeconds,
      stopReason: this.stopReason,
      done: this.done,
    };
  }

  carry(): Omit<BatchCarry, 'pending' | 'window'> {
    return {
      counters: { ...this.counters },
      cursor: this.cursor,
      inFlight: Object.fromEntries(this.inFlight),
      startedAt: this.startedAt,
      stopReason: this.stopReason,
      runs: this.runs,
    };
  }

  private finishedCount(): number {
    const { completed, failed, expired, cancelled, orphaned, unstored } = this.counters;
    return completed + failed + expired + cancelled + orphaned + unstored;
  }
}
