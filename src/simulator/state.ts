/**
 * Everything that changes while the simulated org runs, in one object, and how its parts
 * are wired together. `reset()` throws a State away and builds a new one, so nothing can
 * leak from one test into the next. `Org` is the view the engine's parts work on.
 */
import type { EventEmitter } from 'node:events';
import type { TaskResult } from '../cloro/schemas';
import type { Clock } from './clock';
import { CreditLedger } from './credits';
import { FaultInjector } from './faults';
import type { SimulatorOptions } from './options';
import { AnswerGenerator } from './results';
import { Rng } from './rng';
import { Scheduler, type BusyTime } from './scheduler';
import { StatsCollector, type WebhookAttemptRecord } from './stats';
import type { IsoTime, SimTask } from './task';
import { SimError } from './sim-error';
import { WebhookDispatcher } from './webhooks';

export interface SimulatorEvents {
  'task:created': [task: SimTask];
  'task:started': [task: SimTask];
  'task:finished': [task: SimTask];
  'task:purged': [task: SimTask];
  'webhook:attempt': [taskId: string, record: WebhookAttemptRecord];
}

export interface State {
  rng: Rng;
  faults: FaultInjector;
  stats: StatsCollector;
  ledger: CreditLedger;
  scheduler: Scheduler;
  webhooks: WebhookDispatcher;
  tasks: Map<string, SimTask>;
  /** Every idempotency key ever accepted → its task id. Kept after purge: keys are unique forever. */
  keys: Map<string, string>;
  /** Results behind `html` links, by page id, until they expire. */
  pages: Map<string, TaskResult>;
  /** Seeded answers: the n-th ask of a cell is reproducible, samples and later runs differ a little. */
  answers: AnswerGenerator;
  syncInFlight: number;
}

export interface Org {
  readonly options: SimulatorOptions;
  readonly clock: Clock;
  readonly state: State;
  readonly iso: IsoTime;
  readonly events: EventEmitter<SimulatorEvents>;
}

/** What the engine does when the parts report in. */
export interface StateHooks {
  onStart(task: SimTask, processing: number): void;
  onFinish(task: SimTask, busy: BusyTime): void;
  /** The webhook body: the task document as GET answers it now. */
  render(task: SimTask): string;
  onWebhookAttempt(taskId: string, record: WebhookAttemptRecord): void;
  onWebhookSettled(): void;
}

export function createState(options: SimulatorOptions, clock: Clock, fetchImpl: typeof fetch, hooks: StateHooks): State {
  const rng = new Rng(options.seed);
  const faults = new FaultInjector(rng);
  if (options.faults) faults.add(options.faults);
  const stats = new StatsCollector();
  const scheduler = new Scheduler({
    clock,
    concurrency: options.concurrency,
    drawProcessingMs: () => drawProcessingMs(options, rng),
    onStart: hooks.onStart,
    onFinish: hooks.onFinish,
  });
  const webhooks = new WebhookDispatcher({
    clock,
    faults,
    stats,
    fetch: fetchImpl,
    secret: options.webhookSecret,
    retryDelaysMs: options.webhookRetryDelaysMs,
    timeoutMs: options.webhookTimeoutMs,
    render: hooks.render,
    onAttempt: hooks.onWebhookAttempt,
    onSettled: hooks.onWebhookSettled,
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
    answers: new AnswerGenerator(options.seed),
    syncInFlight: 0,
  };
}

export function drawProcessingMs(options: SimulatorOptions, rng: Rng): number {
  return rng.between(options.processingMs.min, options.processingMs.max);
}

/** FAILED by an injected fault or by the configured failure rate; undefined = success. */
export function drawFailure(org: Org): { code: string; message: string } | undefined {
  const { faults, rng } = org.state;
  const fault = faults.taskFailure();
  if (fault) return { code: fault.code, message: fault.message };
  if (rng.chance(org.options.failureRate)) return { code: org.options.failureCode, message: org.options.failureMessage };
  return undefined;
}

export function insufficientCredits(org: Org, price: number): SimError {
  const available = org.state.ledger.available();
  return new SimError(
    org.options.insufficientCreditsStatus,
    'INSUFFICIENT_CREDITS',
    `Insufficient credits: this task needs ${price}, ${available} available`,
    { required: price, available },
  );
}
