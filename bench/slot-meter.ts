/**
 * Watches the simulator's task events and measures what the window is judged by: how busy
 * cloro's slots were and how deep its queue got. Utilization is given twice: over the whole
 * run, and over the steady state — from the moment every slot is first busy (or twice the
 * plan has been created, if the slots never fill) until the last task starts. Outside that
 * span no client can keep the slots busy (nothing submitted yet, or nothing left to start),
 * so short runs would otherwise read low whatever the client does.
 */
import type { RunningSimulator } from '../src/simulator';

export interface SlotFigures {
  created: number;
  finished: number;
  queued: number;
  processing: number;
  maxQueueDepth: number;
  /** Busy slot-seconds over the whole span measured, ÷ (slots × span). */
  utilization: number;
  /** The same over the steady state; null when the run never got past its ramp-up. */
  steadyUtilization: number | null;
  steadySeconds: number;
}

export class SlotMeter {
  private readonly startedAt = performance.now();
  private created = 0;
  private started = 0;
  private finished = 0;
  private processing = 0;
  private maxQueue = 0;
  /** Busy slot-milliseconds integrated up to `lastChange`. */
  private busyMs = 0;
  private lastChange = this.startedAt;
  private steadyFrom: { at: number; busyMs: number } | null = null;
  private steadyTo: { at: number; busyMs: number } | null = null;

  constructor(
    private readonly sim: RunningSimulator,
    private readonly slots: number,
    private readonly expected: number,
  ) {
    sim.sim.on('task:created', this.onCreated);
    sim.sim.on('task:started', this.onStarted);
    sim.sim.on('task:finished', this.onFinished);
  }

  stop(): void {
    this.sim.sim.off('task:created', this.onCreated);
    this.sim.sim.off('task:started', this.onStarted);
    this.sim.sim.off('task:finished', this.onFinished);
  }

  figures(): SlotFigures {
    const now = performance.now();
    const busyNow = this.busyMs + this.processing * (now - this.lastChange);
    const steady =
      this.steadyFrom && this.steadyTo && this.steadyTo.at > this.steadyFrom.at ? { from: this.steadyFrom, to: this.steadyTo } : null;
    return {
      created: this.created,
      finished: this.finished,
      queued: this.created - this.finished - this.processing,
      processing: this.processing,
      maxQueueDepth: this.maxQueue,
      utilization: busyNow / (this.slots * Math.max(1, now - this.startedAt)),
      steadyUtilization: steady ? (steady.to.busyMs - steady.from.busyMs) / (this.slots * (steady.to.at - steady.from.at)) : null,
      steadySeconds: steady ? (steady.to.at - steady.from.at) / 1000 : 0,
    };
  }

  private readonly onCreated = (): void => {
    this.created++;
    this.maxQueue = Math.max(this.maxQueue, this.created - this.finished - this.processing);
    if (!this.steadyFrom && this.created === Math.min(this.expected, 2 * this.slots)) this.steadyFrom = this.mark();
  };

  private readonly onStarted = (): void => {
    this.advance();
    this.processing++;
    this.started++;
    if (!this.steadyFrom && this.processing === this.slots) this.steadyFrom = this.mark();
    if (this.started === this.expected) this.steadyTo = this.mark();
  };

  private readonly onFinished = (): void => {
    this.advance();
    this.processing--;
    this.finished++;
  };

  private advance(): void {
    const now = performance.now();
    this.busyMs += this.processing * (now - this.lastChange);
    this.lastChange = now;
  }

  private mark(): { at: number; busyMs: number } {
    this.advance();
    return { at: this.lastChange, busyMs: this.busyMs };
  }
}
