/**
 * How many prompts a batch may submit now. Plan concurrency is held by feedback on cloro's
 * own org-wide queue, not by a coordinator: every batch reads the same `GET /v1/async/status`,
 * so each one keeps cloro's QUEUED count under a small buffer and all of them together keep
 * the org's slots busy without burying newer or higher-priority work behind a wall of tasks.
 * Pure: the workflow feeds it readings and events; tests drive it directly.
 */
import type { BatchTuning } from './definitions';

export interface QueueSnapshot {
  queuedTasks: number;
  processingTasks: number;
  concurrencyMax: number | null;
}

export class SubmissionWindow {
  /** The org's unfinished tasks (queued + processing) at the reading. */
  private outstanding = 0;
  private max: number;
  private readAt = Number.NEGATIVE_INFINITY;
  /** Our submissions and completions since the reading: the queue estimate moves with them until the next one. */
  private submittedSince = 0;
  private finishedSince = 0;

  constructor(private readonly tuning: Pick<BatchTuning, 'fallbackConcurrency' | 'queueBuffer' | 'statusIntervalMs'>) {
    this.max = tuning.fallbackConcurrency;
  }

  isStale(now: number): boolean {
    return now - this.readAt >= this.tuning.statusIntervalMs;
  }

  msUntilStale(now: number): number {
    return Math.max(1, this.readAt + this.tuning.statusIntervalMs - now);
  }

  observe(reading: QueueSnapshot, now: number): void {
    this.outstanding = reading.queuedTasks + reading.processingTasks;
    // null during cloro maintenance: keep working at the configured plan size
    this.max = reading.concurrencyMax ?? this.tuning.fallbackConcurrency;
    this.readAt = now;
    this.submittedSince = 0;
    this.finishedSince = 0;
  }

  submitted(count: number): void {
    this.submittedSince += count;
  }

  /** One of ours finished at cloro: one task fewer is unfinished, its slot goes to the next queued one. */
  finished(): void {
    this.finishedSince += 1;
  }

  get concurrencyMax(): number {
    return this.max;
  }

  /** Most tasks we allow in cloro's queue: enough to refill a slot the moment it frees, no more. */
  get buffer(): number {
    return this.tuning.queueBuffer ?? Math.max(2, Math.ceil(this.max * 0.2));
  }

  /** The org's unfinished tasks now, as far as this batch can tell. */
  private get unfinishedEstimate(): number {
    return Math.max(0, this.outstanding + this.submittedSince - this.finishedSince);
  }

  /** cloro's QUEUED count now, as far as this batch can tell: what is unfinished beyond the plan's slots. */
  get queueEstimate(): number {
    return Math.max(0, this.unfinishedEstimate - this.max);
  }

  /**
   * (a) our own in-flight count stays under plan concurrency + buffer (a lone batch never
   * queues more than the buffer), and (b) the org's unfinished tasks stay under the slots plus
   * the buffer: free slots absorb submissions first, then at most `buffer` wait in the queue
   * (several batches share the plan: each sees the others' tasks in the reading).
   */
  capacity(inFlight: number): number {
    return Math.max(0, Math.min(this.ownRoom(inFlight), this.max + this.buffer - this.unfinishedEstimate));
  }

  /** Room under (a) alone: when this is 0, only one of our own prompts finishing can change anything. */
  ownRoom(inFlight: number): number {
    return Math.max(0, this.max + this.buffer - inFlight);
  }
}
