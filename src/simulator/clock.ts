/**
 * The simulator's one notion of time. cloro's timings (processing, webhook retry delays,
 * 24 h retention, credit cycles) are written in "cloro time"; `timeScale` says how many
 * cloro-time milliseconds pass per real millisecond, and it is applied here and nowhere
 * else. Transport-level effects (slow responses, delayed webhooks) are real time.
 *
 * Instants on the wire (createdAt, deliveredAt, cycleResetsAt, error timestamps) are
 * converted to wall time with `toWall`: callers compare them with their own clock, so
 * "the cycle resets at T" must mean real T. Durations (latencyMs) stay in cloro time:
 * they describe cloro's work.
 *
 * Every timer goes through the clock so `cancelAll()` can stop the simulator without
 * leaving anything behind to keep a process (or jest) alive.
 */
export interface Timer {
  readonly id: number;
}

export interface Clock {
  /** Current cloro time, epoch milliseconds. Equals wall time at timeScale 1. */
  now(): number;
  /** Real wall time, epoch milliseconds. */
  wallNow(): number;
  /** The wall-clock instant at which cloro time reaches `cloroMs`. */
  toWall(cloroMs: number): number;
  /** Runs `fn` after `cloroMs` of cloro time. */
  after(cloroMs: number, fn: () => void): Timer;
  /** Runs `fn` after `ms` of real time. */
  afterReal(ms: number, fn: () => void): Timer;
  cancel(timer: Timer): void;
  cancelAll(): void;
}

export class ScaledClock implements Clock {
  private readonly epoch = Date.now();
  private readonly perfEpoch = performance.now();
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private nextId = 1;

  constructor(private readonly timeScale: number) {}

  now(): number {
    return this.epoch + (performance.now() - this.perfEpoch) * this.timeScale;
  }

  wallNow(): number {
    return Date.now();
  }

  toWall(cloroMs: number): number {
    return this.epoch + (cloroMs - this.epoch) / this.timeScale;
  }

  after(cloroMs: number, fn: () => void): Timer {
    return this.afterReal(cloroMs / this.timeScale, fn);
  }

  afterReal(ms: number, fn: () => void): Timer {
    const id = this.nextId++;
    const handle = setTimeout(
      () => {
        this.timers.delete(id);
        fn();
      },
      Math.max(0, ms),
    );
    this.timers.set(id, handle);
    return { id };
  }

  cancel(timer: Timer): void {
    clearTimeout(this.timers.get(timer.id));
    this.timers.delete(timer.id);
  }

  cancelAll(): void {
    for (const handle of this.timers.values()) clearTimeout(handle);
    this.timers.clear();
  }
}
