/**
 * How many prompts a batch may submit now. Plan concurrency is held by feedback on cloro's
 * own org-wide queue, not by a coordinator: every batch reads the same `GET /v1/async/status`,
 * so each one keeps cloro's QUEUED count under a small buffer and all of them together keep
 * the org's slots busy without burying newer or higher-priority work behind a wall of tasks.
 *
 * Our own books lag cloro at both ends: a started child needs a moment to create its task,
 * and a task that ended at cloro reports to the batch only after its child has woken,
 * fetched and finished. The window corrects for that lag twice. (1) The pipeline: our
 * in-flight prompts the status readings do not show as unfinished (smoothed; other batches'
 * tasks make it read low, never high) may be in flight on top, up to a buffer's worth, so
 * they do not hold places a freed slot needs. (2) The default buffer covers the completions
 * expected during one of our round trips (completion rate × (landing + report lag), measured
 * from the children's reports, times two for bursts), so the queue does not run dry while we
 * refill it. With cloro's real task times that term is a fraction of a task and the floor
 * of max(2, 20 %) applies; an explicit `queueBuffer` is always obeyed as it is.
 * Pure: the workflow feeds it readings and reports; tests drive it directly.
 */
import type { BatchTuning, PromptSummary, QueueReading, WindowCarry, WindowFigures } from './definitions';

/** Weight of a new sample in the smoothed figures. */
const SMOOTHING = 0.1;
/** Readings are fewer than reports, so each one weighs more. */
const READING_SMOOTHING = 0.3;
/** Reports needed before the lag is trusted: until tasks flow, nothing ends while a create lands. */
const MIN_REPORTS = 10;
/** Completions during a round trip come in bursts: the buffer covers twice the mean. */
const BURST_FACTOR = 2;

const smooth = (previous: number | null, sample: number, weight = SMOOTHING): number =>
  previous === null ? sample : previous + weight * (sample - previous);
const timeOf = (iso: string | null | undefined): number | null => (iso ? Date.parse(iso) : null);

export class SubmissionWindow {
  private max: number;
  private readAt = Number.NEGATIVE_INFINITY;
  /** Unfinished tasks of the org at the last reading that are not ours. */
  private others = 0;
  private landingMs: number | null;
  private reportLagMs: number | null;
  private reportIntervalMs: number | null;
  private pipelineSeen: number | null;
  private lastReportAt: number | null = null;
  /** Reports seen by this run (a carried measurement counts as settled). */
  private reports: number;

  constructor(
    private readonly tuning: Pick<BatchTuning, 'fallbackConcurrency' | 'queueBuffer' | 'statusIntervalMs'>,
    carry?: WindowCarry,
  ) {
    this.max = tuning.fallbackConcurrency;
    this.landingMs = carry?.landingMs ?? null;
    this.reportLagMs = carry?.reportLagMs ?? null;
    this.reportIntervalMs = carry?.reportIntervalMs ?? null;
    this.pipelineSeen = carry?.pipelineSeen ?? null;
    this.reports = carry?.reportIntervalMs != null ? MIN_REPORTS : 0;
  }

  isStale(now: number): boolean {
    return now - this.readAt >= this.tuning.statusIntervalMs;
  }

  msUntilStale(now: number): number {
    return Math.max(1, this.readAt + this.tuning.statusIntervalMs - now);
  }

  /** A status reading, answered at `now`; `inFlight` is our count when it was asked for. */
  observe(reading: QueueReading, inFlight: number, now: number): void {
    const unfinished = reading.queuedTasks + reading.processingTasks;
    // null during cloro maintenance: keep working at the configured plan size
    this.max = reading.concurrencyMax ?? this.tuning.fallbackConcurrency;
    this.readAt = now;
    // Only once tasks flow: while the first creates land, our whole window is "unseen".
    if (this.reports >= MIN_REPORTS) this.pipelineSeen = smooth(this.pipelineSeen, Math.max(0, inFlight - unfinished), READING_SMOOTHING);
    // Whatever the reading shows beyond our visible prompts belongs to someone else.
    this.others = Math.max(0, unfinished - (inFlight - this.pipeline(inFlight)));
  }

  /** One of ours reported at `now`: its timings measure our round trip and completion rate. */
  finished(now: number, launchedAt: number, summary: Pick<PromptSummary, 'createdAt' | 'finishedAt'>): void {
    const createdAt = timeOf(summary.createdAt);
    const endedAt = timeOf(summary.finishedAt);
    if (createdAt !== null) this.landingMs = smooth(this.landingMs, Math.max(0, createdAt - launchedAt));
    if (endedAt !== null) this.reportLagMs = smooth(this.reportLagMs, Math.max(0, now - endedAt));
    if (this.lastReportAt !== null) this.reportIntervalMs = smooth(this.reportIntervalMs, now - this.lastReportAt);
    this.lastReportAt = now;
    this.reports += 1;
  }

  /** Most tasks we allow in cloro's queue: enough to refill a slot the moment it frees, no more. */
  get buffer(): number {
    return this.tuning.queueBuffer ?? Math.max(2, Math.ceil(this.max * 0.2), this.roundTripCover());
  }

  /** cloro's QUEUED count now, as far as this batch can tell: what is unfinished beyond the plan's slots. */
  queueEstimate(inFlight: number): number {
    return Math.max(0, this.others + inFlight - this.pipeline(inFlight) - this.max);
  }

  /**
   * (a) our own prompts that cloro can see stay under plan concurrency + buffer (a lone
   * batch never queues more than the buffer), and (b) so do the org's unfinished tasks: free
   * slots absorb submissions first, then at most `buffer` wait in the queue (several batches
   * share the plan: each sees the others' tasks in the reading).
   */
  capacity(inFlight: number): number {
    return Math.max(0, this.ownRoom(inFlight) - this.others);
  }

  /** Room under (a) alone: when this is 0, only one of our own prompts reporting can change anything. */
  ownRoom(inFlight: number): number {
    return Math.max(0, this.max + this.buffer + this.pipeline(inFlight) - inFlight);
  }

  figures(inFlight: number): WindowFigures {
    return { concurrencyMax: this.max, buffer: this.buffer, pipeline: this.pipeline(inFlight), roundTripMs: this.roundTripMs };
  }

  carry(): WindowCarry {
    return {
      landingMs: this.landingMs,
      reportLagMs: this.reportLagMs,
      reportIntervalMs: this.reportIntervalMs,
      pipelineSeen: this.pipelineSeen,
    };
  }

  /**
   * Our in-flight prompts cloro does not show as unfinished; never more than we have in flight,
   * than a plan, or than the buffer. The estimate is a mean: at the moment a burst of creates
   * lands, the true pipeline can be near zero, and every prompt counted in it then waits in
   * cloro's queue. Capped at the buffer, a lone batch never has more than twice the buffer
   * waiting there, whatever its estimate (docs/benchmarks.md has the overshoot uncapped).
   */
  private pipeline(inFlight: number): number {
    return Math.min(this.max, this.buffer, inFlight, Math.floor(this.pipelineSeen ?? 0));
  }

  /** Smoothed landing + report lag: how long our side takes to turn a freed slot into a new task. */
  private get roundTripMs(): number | null {
    return this.reportLagMs === null ? null : Math.round(this.reportLagMs + (this.landingMs ?? 0));
  }

  /** Completions expected while we turn a freed slot into a new task (Little's law), with room for bursts; at most a plan. */
  private roundTripCover(): number {
    const roundTrip = this.roundTripMs;
    if (this.reports < MIN_REPORTS || roundTrip === null || this.reportIntervalMs === null) return 0;
    return Math.min(this.max, Math.ceil((BURST_FACTOR * roundTrip) / Math.max(1, this.reportIntervalMs)));
  }
}
