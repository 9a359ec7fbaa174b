/**
 * cloro's scheduler for one org: picks QUEUED tasks by priority then FIFO and keeps at
 * most `concurrency` of them PROCESSING; each runs for a drawn processing time (cloro
 * time). What happens when a task finishes is the engine's business (`onFinish`). The
 * slot count is the plan's and can change while tasks run (`resize`).
 */
import type { Clock } from './clock';
import { PriorityQueue } from './queue';
import type { SimTask } from './task';

export interface BusyTime {
  cloroMs: number;
  realMs: number;
}

export interface SchedulerDeps {
  clock: Clock;
  /** The plan's slots at start. */
  concurrency: number;
  drawProcessingMs(): number;
  onStart(task: SimTask, processing: number): void;
  onFinish(task: SimTask, busy: BusyTime): void;
}

export class Scheduler {
  private readonly queue = new PriorityQueue<SimTask>();
  /** PROCESSING tasks and the real time each started. */
  private readonly running = new Map<SimTask, number>();
  private pumpPending = false;
  private slots: number;

  constructor(private readonly deps: SchedulerDeps) {
    this.slots = deps.concurrency;
  }

  /** The plan's slots now: the most tasks PROCESSING at once. */
  get concurrency(): number {
    return this.slots;
  }

  get queued(): number {
    return this.queue.size;
  }

  get processing(): number {
    return this.running.size;
  }

  breakdown(): { priority: number; count: number }[] {
    return this.queue.breakdown();
  }

  /**
   * Work is picked up on a later tick, as by cloro's separate scheduler: the create
   * answer is rendered first and says QUEUED, as cloro's always does.
   */
  enqueue(task: SimTask): void {
    this.queue.push(task);
    if (this.pumpPending) return;
    this.pumpPending = true;
    this.deps.clock.afterReal(0, () => {
      this.pumpPending = false;
      this.pump();
    });
  }

  /**
   * The org's plan changed. More slots start queued tasks at once. Fewer slots stop no
   * task: the running ones finish, and no new one starts until fewer than the new count
   * are PROCESSING. cloro's docs do not say what a downgrade does to running tasks; this
   * is the choice that loses no work.
   */
  resize(concurrency: number): void {
    this.slots = concurrency;
    this.pump();
  }

  /** Removes every QUEUED task (DELETE /v1/async/queue). */
  cancelQueued(): SimTask[] {
    return this.queue.drain();
  }

  /** Busy time of the tasks still running, up to now. */
  runningBusy(): BusyTime {
    const { clock } = this.deps;
    let cloroMs = 0;
    let realMs = 0;
    for (const [task, startedReal] of this.running) {
      cloroMs += clock.now() - (task.startedAt ?? clock.now());
      realMs += clock.wallNow() - startedReal;
    }
    return { cloroMs, realMs };
  }

  private pump(): void {
    while (this.running.size < this.slots) {
      const task = this.queue.shift();
      if (!task) return;
      this.start(task);
    }
  }

  private start(task: SimTask): void {
    const { clock } = this.deps;
    task.status = 'PROCESSING';
    task.startedAt = clock.now();
    this.running.set(task, clock.wallNow());
    clock.after(this.deps.drawProcessingMs(), () => this.finish(task));
    this.deps.onStart(task, this.running.size);
  }

  private finish(task: SimTask): void {
    const { clock } = this.deps;
    const startedReal = this.running.get(task) ?? clock.wallNow();
    this.running.delete(task);
    this.deps.onFinish(task, { cloroMs: clock.now() - (task.startedAt ?? clock.now()), realMs: clock.wallNow() - startedReal });
    this.pump();
  }
}
