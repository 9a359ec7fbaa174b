/**
 * The simulated cloro org: tasks, idempotency keys, credits, the scheduler, webhooks,
 * faults and stats, behind the same operations the HTTP routes expose. Tests may drive
 * it directly; the routes only translate HTTP to these calls.
 *
 * Everything that changes during a run lives in one `State`, so `reset()` is "throw it
 * away and start again" and nothing can leak from one test into the next.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { z } from 'zod';
import {
  BatchCreateRequestSchema,
  type BatchCreateResponseSchema,
  type ClearQueueResponseSchema,
  type CreateTaskRequest,
  type MonitorResponseSchema,
  type StatusResponseSchema,
  type TaskResult,
  type TaskStatus,
} from '../cloro/schemas';
import { ScaledClock, type Clock } from './clock';
import { countriesFor } from './countries';
import { CreditLedger, type CreditBalance } from './credits';
import { FaultInjector, FaultsSchema, type FaultRuleSnapshot } from './faults';
import type { SimulatorOptions } from './options';
import { creditsFor } from './pricing';
import { generateAnswer, renderHtml } from './results';
import { Rng } from './rng';
import { Scheduler, type BusyTime } from './scheduler';
import { SimError } from './sim-error';
import { StatsCollector, type StatsSnapshot, type WebhookAttemptRecord } from './stats';
import { createResponse, taskDocument, type CreateTaskResponseWire, type SimTask, type TaskDocumentWire } from './task';
import { parseCreateRequest, parseMonitorRequest, taskTypeOf } from './validation';
import { WebhookDispatcher } from './webhooks';

export interface SimulatorDeps {
  /** Replaces the scaled real-time clock (e.g. a manual clock in a test). */
  clock?: Clock;
  /** Used for webhook deliveries. */
  fetch?: typeof fetch;
}

/** Where the client reached the simulator; html result links point back there. */
export interface RequestContext {
  baseUrl: string;
}

export interface SimulatorEvents {
  'task:created': [task: SimTask];
  'task:started': [task: SimTask];
  'task:finished': [task: SimTask];
  'task:purged': [task: SimTask];
  'webhook:attempt': [taskId: string, record: WebhookAttemptRecord];
}

type BatchResponseWire = z.input<typeof BatchCreateResponseSchema>;
type BatchItemWire = BatchResponseWire['results'][number];

interface State {
  rng: Rng;
  faults: FaultInjector;
  stats: StatsCollector;
  ledger: CreditLedger;
  scheduler: Scheduler;
  webhooks: WebhookDispatcher;
  tasks: Map<string, SimTask>;
  /** Every idempotency key ever accepted → its task id. Kept after purge: keys are unique forever. */
  keys: Map<string, string>;
  /** Rendered `html` results by page id, until they expire with the task. */
  pages: Map<string, TaskResult>;
  syncInFlight: number;
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

  // ------------------------------------------------------------------ async tasks

  createTask(raw: unknown, ctx: RequestContext = this.defaultContext()): CreateTaskResponseWire {
    const request = this.parseOrCount(() => parseCreateRequest(raw, this.options.validationStatus));
    return createResponse(this.admit(request, ctx, true), this.iso);
  }

  /** 1–500 creates, validated and admitted one by one; a full queue rejects the whole batch. */
  createBatch(raw: unknown, ctx: RequestContext = this.defaultContext()): BatchResponseWire {
    const list = BatchCreateRequestSchema.safeParse(raw);
    if (!list.success) throw SimError.validation(this.options.validationStatus, list.error);
    const items = list.data.map((item, index) => {
      try {
        return { index, request: this.parseOrCount(() => parseCreateRequest(item, this.options.validationStatus, `[${index}]`)) };
      } catch (err) {
        return { index, error: err };
      }
    });
    const admissible = items.filter((item) => item.request).length;
    if (this.state.scheduler.queued + admissible > this.options.queueLimit) throw this.queueFull();

    const results: BatchItemWire[] = items.map((item) => {
      try {
        if (!item.request) throw item.error;
        const created = createResponse(this.admit(item.request, ctx, false), this.iso);
        return { success: true, index: item.index, task: created.task, credits: created.credits };
      } catch (err) {
        if (!(err instanceof SimError)) throw err;
        return { success: false, index: item.index, error: { code: err.code, message: err.message, details: err.details } };
      }
    });
    const succeeded = results.filter((r) => r.success).length;
    return { success: true, summary: { total: results.length, succeeded, failed: results.length - succeeded }, results };
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
      concurrency: this.options.statusConcurrencyNull ? null : { used: scheduler.processing, max: this.options.concurrency },
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

  // ------------------------------------------------------------------ synchronous monitor

  /** POST /v1/monitor/<provider>: the same work, answered inline after the processing time. */
  async monitor(provider: string, raw: unknown, ctx: RequestContext = this.defaultContext()): Promise<z.input<typeof MonitorResponseSchema>> {
    const taskType = taskTypeOf(provider);
    if (!taskType) throw SimError.notFound(`Unknown provider ${provider}`);
    const payload = parseMonitorRequest(raw, taskType);
    const s = this.state;
    const price = creditsFor(taskType, payload, this.options, true);
    if (price > s.ledger.available()) throw this.insufficientCredits(price);
    // Sync calls have their own limit: as many in flight as the plan's concurrency.
    if (s.syncInFlight >= this.options.concurrency) {
      throw new SimError(429, 'CONCURRENT_LIMIT_EXCEEDED', `At most ${this.options.concurrency} synchronous requests at once`);
    }
    s.syncInFlight += 1;
    try {
      await new Promise<void>((resolve) => this.clock.after(this.drawProcessingMs(), resolve));
    } finally {
      s.syncInFlight -= 1;
    }
    const failure = this.drawFailure();
    if (failure) throw new SimError(500, failure.code, failure.message);
    const pageId = randomUUID();
    const result = generateAnswer({
      taskType,
      prompt: payload.prompt ?? payload.query ?? '',
      country: payload.country,
      include: payload.include,
      htmlUrl: `${ctx.baseUrl}/_sim/results/${pageId}/page-1.html`,
    });
    if (result.html) this.keepPage(pageId, result);
    s.ledger.charge(0, price);
    s.stats.charged(price);
    return { success: true, result };
  }

  /** The page behind an `html` link, while it has not expired. */
  page(id: string): string {
    const result = this.state.pages.get(id);
    if (!result) throw SimError.notFound(`Result page ${id} not found or expired`);
    return renderHtml(result);
  }

  // ------------------------------------------------------------------ control

  addFaults(raw: unknown): FaultRuleSnapshot[] {
    const parsed = FaultsSchema.safeParse(raw);
    if (!parsed.success) throw SimError.validation(422, parsed.error);
    this.state.faults.add(parsed.data);
    return this.state.faults.list();
  }

  clearFaults(): void {
    this.state.faults.clear();
  }

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
      concurrency: this.options.concurrency,
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

  /** Stops every timer and pending webhook; the simulator answers nothing new after this. */
  close(): void {
    this.stop();
  }

  // ------------------------------------------------------------------ internals

  private freshState(): State {
    const { options, clock } = this;
    const rng = new Rng(options.seed);
    const faults = new FaultInjector(rng);
    if (options.faults) faults.add(options.faults);
    const stats = new StatsCollector();
    const scheduler = new Scheduler({
      clock,
      concurrency: options.concurrency,
      drawProcessingMs: () => this.drawProcessingMs(),
      onStart: (task, processing) => {
        stats.processing(processing);
        this.emit('task:started', task);
      },
      onFinish: (task, busy) => this.finish(task, busy),
    });
    const webhooks = new WebhookDispatcher({
      clock,
      faults,
      stats,
      fetch: this.fetchImpl,
      secret: options.webhookSecret,
      retryDelaysMs: options.webhookRetryDelaysMs,
      timeoutMs: options.webhookTimeoutMs,
      render: (task) => JSON.stringify(taskDocument(task, this.iso)),
      onAttempt: (taskId, record) => this.emit('webhook:attempt', taskId, record),
      onSettled: () => this.checkIdle(),
    });
    return {
      rng,
      faults,
      stats,
      ledger: new CreditLedger(clock, options.initialCredits, options.creditCycleMs),
      scheduler,
      webhooks,
      tasks: new Map(),
      keys: new Map(),
      pages: new Map(),
      syncInFlight: 0,
    };
  }

  private stop(): void {
    this.clock.cancelAll();
    this.state.webhooks.close();
  }

  private readonly iso = (cloroMs: number): string => new Date(this.clock.toWall(cloroMs)).toISOString();

  private defaultContext(): RequestContext {
    return { baseUrl: `http://${this.options.host}:${this.options.port}` };
  }

  /** Counts a create that failed validation before it reached the idempotency check. */
  private parseOrCount<T>(parse: () => T): T {
    try {
      return parse();
    } catch (err) {
      this.state.stats.createAttempt(null, 'rejected');
      throw err;
    }
  }

  /** The checks cloro makes at submission: key unused, credits enough, queue not full. */
  private admit(request: CreateTaskRequest, ctx: RequestContext, checkQueue: boolean): SimTask {
    const s = this.state;
    const key = request.idempotencyKey ?? null;
    if (key !== null && s.keys.has(key)) {
      s.stats.createAttempt(key, 'conflict');
      throw new SimError(409, 'RESOURCE_ALREADY_EXISTS', 'Task already exists', { field: 'idempotencyKey', value: key });
    }
    const price = creditsFor(request.taskType, request.payload, this.options);
    if (price > s.ledger.available()) {
      s.stats.createAttempt(key, 'rejected');
      throw this.insufficientCredits(price);
    }
    if (checkQueue && s.scheduler.queued >= this.options.queueLimit) {
      s.stats.createAttempt(key, 'rejected');
      throw this.queueFull();
    }
    const task: SimTask = {
      id: randomUUID(),
      request,
      taskType: request.taskType,
      priority: request.priority ?? 1,
      idempotencyKey: key,
      createdAt: this.clock.now(),
      creditsToCharge: price,
      baseUrl: ctx.baseUrl,
      status: 'QUEUED',
      startedAt: null,
      finishedAt: null,
      creditsCharged: null,
      result: null,
      error: null,
      webhook: request.webhook ? { url: request.webhook.url, delivered: false, deliveredAt: null } : null,
    };
    s.tasks.set(task.id, task);
    if (key !== null) s.keys.set(key, task.id);
    s.ledger.reserve(price);
    s.stats.createAttempt(key, 'created');
    s.scheduler.enqueue(task);
    this.emit('task:created', task);
    return task;
  }

  private finish(task: SimTask, busy: BusyTime): void {
    const s = this.state;
    task.finishedAt = this.clock.now();
    const failure = this.drawFailure();
    if (failure) {
      task.status = 'FAILED';
      task.error = failure;
      task.creditsCharged = 0;
      s.ledger.release(task.creditsToCharge);
    } else {
      const { payload } = task.request;
      task.status = 'COMPLETED';
      task.result = generateAnswer({
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

  /** A task by id (or, if enabled, by idempotency key); purges it first if its retention is over. */
  private lookup(idOrKey: string): SimTask | undefined {
    const s = this.state;
    let task = s.tasks.get(idOrKey);
    if (!task && this.options.lookupByIdempotencyKey) {
      const id = s.keys.get(idOrKey);
      task = id === undefined ? undefined : s.tasks.get(id);
    }
    // The timer may lag behind a scaled clock; the deadline is what counts.
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

  private keepPage(id: string, result: TaskResult): void {
    const { pages } = this.state;
    pages.set(id, result);
    this.clock.after(this.options.retentionMs, () => pages.delete(id));
  }

  private drawProcessingMs(): number {
    const { min, max } = this.options.processingMs;
    return this.state.rng.between(min, max);
  }

  /** FAILED by an injected fault or by the configured failure rate; undefined = success. */
  private drawFailure(): { code: string; message: string } | undefined {
    const fault = this.state.faults.taskFailure();
    if (fault) return { code: fault.code, message: fault.message };
    if (this.state.rng.chance(this.options.failureRate)) return { code: this.options.failureCode, message: this.options.failureMessage };
    return undefined;
  }

  private insufficientCredits(price: number): SimError {
    const available = this.state.ledger.available();
    return new SimError(
      this.options.insufficientCreditsStatus,
      'INSUFFICIENT_CREDITS',
      `Insufficient credits: this task needs ${price}, ${available} available`,
      { required: price, available },
    );
  }

  private queueFull(): SimError {
    const limit = this.options.queueLimit;
    return new SimError(429, 'QUEUE_LIMIT_EXCEEDED', `Queue limit of ${limit} tasks reached`, {
      limit,
      queued: this.state.scheduler.queued,
    });
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
