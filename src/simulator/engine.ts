/**
 * The simulated cloro org behind the same operations the HTTP routes expose: tests may
 * drive it directly, the routes only translate HTTP to these calls. It owns the task
 * lifecycle (QUEUED → PROCESSING → COMPLETED | FAILED → purged after retention);
 * submission lives in admission.ts, the synchronous endpoints in monitor.ts.
 */
import { EventEmitter } from 'node:events';
import type { z } from 'zod';
import type { ClearQueueResponseSchema, MonitorResponseSchema, StatusResponseSchema, TaskStatus } from '../cloro/schemas';
import { createBatch, createTask, type RequestContext } from './admission';
import { ScaledClock, type Clock } from './clock';
import { countriesFor } from './countries';
import type { CreditBalance } from './credits';
import { FaultsSchema, type FaultInjector, type FaultRuleSnapshot } from './faults';
import { runMonitor } from './monitor';
import { PlanConcurrencySchema, type SimulatorOptions } from './options';
import { renderHtml } from './results';
import type { BusyTime } from './scheduler';
import { SimError } from './sim-error';
import { createState, drawFailure, type Org, type SimulatorEvents, type State } from './state';
import type { StatsSnapshot } from './stats';
import { taskDocument, type CreateTaskResponseWire, type SimTask, type TaskDocumentWire } from './task';
import { taskTypeOf } from './validation';

export type { RequestContext } from './admission';
export type { SimulatorEvents } from './state';

export interface SimulatorDeps {
  /** Replaces the scaled real-time clock (e.g. a manual clock in a test). */
  clock?: Clock;
  /** Used for webhook deliveries. */
  fetch?: typeof fetch;
}

export class Simulator extends EventEmitter<SimulatorEvents> {
  readonly clock: Clock;
  private readonly fetchImpl: typeof fetch;
  private state: State;
  private idleWaiters: (() => void)[] = [];

  constructor(
    readonly options: SimulatorOptions,
    deps: SimulatorDeps = {},
  ) {
    super();
    this.clock = deps.clock ?? new ScaledClock(options.timeScale);
    this.fetchImpl = deps.fetch ?? fetch;
    this.state = this.freshState();
  }

  get faults(): FaultInjector {
    return this.state.faults;
  }

  // ------------------------------------------------------------------ cloro's API

  createTask(raw: unknown, ctx: RequestContext = this.defaultContext()): CreateTaskResponseWire {
    return createTask(this.org(), raw, ctx);
  }

  createBatch(raw: unknown, ctx: RequestContext = this.defaultContext()): ReturnType<typeof createBatch> {
    return createBatch(this.org(), raw, ctx);
  }

  getTask(idOrKey: string): TaskDocumentWire {
    const task = this.lookup(idOrKey);
    if (!task) throw SimError.notFound(`Task ${idOrKey} not found`);
    return taskDocument(task, this.iso);
  }

  status(): z.input<typeof StatusResponseSchema> {
    const { scheduler } = this.state;
    return {
      queuedTasks: scheduler.queued,
      processingTasks: scheduler.processing,
      priorityBreakdown: scheduler.breakdown(),
      concurrency: this.options.statusConcurrencyNull ? null : { used: scheduler.processing, max: scheduler.concurrency },
    };
  }

  /** DELETE /v1/async/queue: QUEUED tasks disappear (GET is then 404); their keys stay used. */
  clearQueue(): z.input<typeof ClearQueueResponseSchema> {
    const s = this.state;
    const cancelled = s.scheduler.cancelQueued();
    for (const task of cancelled) {
      s.tasks.delete(task.id);
      s.ledger.release(task.creditsToCharge);
    }
    s.stats.cancelled(cancelled.length);
    this.checkIdle();
    return { success: true, cleared: cancelled.length };
  }

  credits(): CreditBalance {
    return this.state.ledger.balance();
  }

  countries(model?: string): string[] {
    if (model === undefined) return countriesFor();
    const taskType = taskTypeOf(model);
    if (!taskType) throw SimError.invalid(this.options.validationStatus, [{ field: 'model', message: `unknown model ${model}` }]);
    return countriesFor(taskType);
  }

  monitor(provider: string, raw: unknown, ctx: RequestContext = this.defaultContext()): Promise<z.input<typeof MonitorResponseSchema>> {
    return runMonitor(this.org(), provider, raw, ctx);
  }

  /** The page behind an `html` link, while it has not expired. */
  page(id: string): string {
    const result = this.state.pages.get(id);
    if (!result) throw SimError.notFound(`Result page ${id} not found or expired`);
    return renderHtml(result);
  }

  // ------------------------------------------------------------------ control and observation

  addFaults(raw: unknown): FaultRuleSnapshot[] {
    const parsed = FaultsSchema.safeParse(raw);
    if (!parsed.success) throw SimError.validation(422, parsed.error);
    this.state.faults.add(parsed.data);
    return this.state.faults.list();
  }

  clearFaults(): void {
    this.state.faults.clear();
  }

  /**
   * The org moved to a plan with `concurrency` slots: the scheduler keeps that many (see
   * `Scheduler.resize` for what happens to running tasks), the status route and the
   * synchronous endpoints use it, until the next change or `reset()` (back to the option).
   * Returns the new count; throws a VALIDATION_ERROR unless it is an integer in 1 … 10,000.
   */
  setConcurrency(concurrency: unknown): number {
    const parsed = PlanConcurrencySchema.safeParse(concurrency);
    if (!parsed.success) throw SimError.validation(422, parsed.error, 'concurrency');
    this.state.scheduler.resize(parsed.data);
    return parsed.data;
  }

  /** `status` is the HTTP status, or a word when there was none (a destroyed connection). */
  recordRequest(routeKey: string, status: number | string): void {
    this.state.stats.request(routeKey, status);
  }

  stats(): StatsSnapshot {
    const s = this.state;
    const byState: Record<TaskStatus, number> = { QUEUED: s.scheduler.queued, PROCESSING: s.scheduler.processing, COMPLETED: 0, FAILED: 0 };
    for (const task of s.tasks.values()) if (task.status === 'COMPLETED' || task.status === 'FAILED') byState[task.status] += 1;
    return s.stats.snapshot({
      seed: this.options.seed,
      timeScale: this.options.timeScale,
      concurrency: s.scheduler.concurrency,
      byState,
      creditsRemaining: s.ledger.balance().remaining,
      runningBusy: s.scheduler.runningBusy(),
    });
  }

  /** Resolves once nothing is queued, processing, or waiting to deliver a webhook. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Back to the state right after start (same seed, the configured faults), for the next test. */
  reset(): void {
    this.stop();
    this.state = this.freshState();
    this.checkIdle();
  }

  /** Stops every timer and pending webhook. */
  close(): void {
    this.stop();
  }

  // ------------------------------------------------------------------ lifecycle

  private freshState(): State {
    return createState(this.options, this.clock, this.fetchImpl, {
      onStart: (task, processing) => {
        this.state.stats.processing(processing);
        this.emit('task:started', task);
      },
      onFinish: (task, busy) => this.finish(task, busy),
      render: (task) => JSON.stringify(taskDocument(task, this.iso)),
      onWebhookAttempt: (taskId, record) => this.emit('webhook:attempt', taskId, record),
      onWebhookSettled: () => this.checkIdle(),
    });
  }

  private finish(task: SimTask, busy: BusyTime): void {
    const s = this.state;
    task.finishedAt = this.clock.now();
    const failure = drawFailure(this.org());
    if (failure) {
      task.status = 'FAILED';
      task.error = failure;
      task.creditsCharged = 0;
      s.ledger.release(task.creditsToCharge);
    } else {
      const { payload } = task.request;
      task.status = 'COMPLETED';
      task.result = s.answers.answer({
        taskType: task.taskType,
        prompt: payload.prompt ?? payload.query ?? '',
        country: payload.country,
        include: payload.include,
        htmlUrl: `${task.baseUrl}/_sim/results/${task.id}/page-1.html`,
      });
      if (task.result.html) s.pages.set(task.id, task.result);
      task.creditsCharged = task.creditsToCharge;
      s.ledger.charge(task.creditsToCharge, task.creditsToCharge);
      s.stats.charged(task.creditsToCharge);
    }
    s.stats.finished(task.status, busy.cloroMs, busy.realMs);
    this.clock.after(this.options.retentionMs, () => this.purge(task));
    this.emit('task:finished', task);
    s.webhooks.dispatch(task);
    this.checkIdle();
  }

  /** A task by id (or, if enabled, by idempotency key); purged first if its retention is over. */
  private lookup(idOrKey: string): SimTask | undefined {
    const s = this.state;
    let task = s.tasks.get(idOrKey);
    if (!task && this.options.lookupByIdempotencyKey) {
      const id = s.keys.get(idOrKey);
      task = id === undefined ? undefined : s.tasks.get(id);
    }
    // The timer may lag behind a fast-running clock; the deadline is what counts.
    if (task && task.finishedAt !== null && this.clock.now() >= task.finishedAt + this.options.retentionMs) {
      this.purge(task);
      return undefined;
    }
    return task;
  }

  private purge(task: SimTask): void {
    const s = this.state;
    if (s.tasks.get(task.id) !== task) return;
    s.tasks.delete(task.id);
    s.pages.delete(task.id);
    s.stats.purged();
    this.emit('task:purged', task);
  }

  // ------------------------------------------------------------------ plumbing

  private org(): Org {
    return { options: this.options, clock: this.clock, state: this.state, iso: this.iso, events: this };
  }

  private readonly iso = (cloroMs: number): string => new Date(this.clock.toWall(cloroMs)).toISOString();

  private defaultContext(): RequestContext {
    return { baseUrl: `http://${this.options.host}:${this.options.port}` };
  }

  private stop(): void {
    this.clock.cancelAll();
    this.state.webhooks.close();
  }

  private isIdle(): boolean {
    const { scheduler, webhooks } = this.state;
    return scheduler.queued === 0 && scheduler.processing === 0 && webhooks.pending === 0;
  }

  private checkIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
