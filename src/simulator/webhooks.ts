/**
 * Webhook delivery as cloro does it: POST the task document when the task is COMPLETED
 * or FAILED; any non-2xx answer, timeout or network error is a failed attempt; attempts
 * 2…5 follow ~2, 4, 8, 16 minutes (cloro time) after the previous failure; then cloro
 * gives up. Signed when a secret is set. Every attempt is recorded in the stats.
 */
import { signWebhook, WEBHOOK_ID_HEADER } from '../cloro/webhook-signature';
import type { Clock } from './clock';
import type { FaultInjector } from './faults';
import type { StatsCollector, WebhookAttemptRecord } from './stats';
import type { SimTask } from './task';

export interface WebhookDeps {
  clock: Clock;
  faults: FaultInjector;
  stats: StatsCollector;
  fetch: typeof fetch;
  secret: string | undefined;
  /** cloro-time delays before attempts 2, 3, …; attempts in all = length + 1. */
  retryDelaysMs: readonly number[];
  /** Real ms an attempt may take. */
  timeoutMs: number;
  /** The body: the task document as GET answers it at the moment of the attempt. */
  render(task: SimTask): string;
  onAttempt(taskId: string, record: WebhookAttemptRecord): void;
  /** A task's delivery ended (delivered or given up). */
  onSettled(): void;
}

/** "TypeError: fetch failed (ECONNREFUSED)": undici hides the useful part in `cause`. */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause as NodeJS.ErrnoException | undefined;
  const detail = cause?.code ?? cause?.message;
  return `${err.name}: ${err.message}${detail ? ` (${detail})` : ''}`;
}

type Outcome = Pick<WebhookAttemptRecord, 'outcome' | 'status' | 'error'>;

interface Prepared {
  url: string;
  body: string;
  headers: Record<string, string>;
}

export class WebhookDispatcher {
  private deliveries = 0;
  private readonly controllers = new Set<AbortController>();
  private closed = false;

  constructor(private readonly deps: WebhookDeps) {}

  /** Tasks whose webhook is not settled yet (in flight or waiting for a retry). */
  get pending(): number {
    return this.deliveries;
  }

  dispatch(task: SimTask): void {
    if (!task.webhook) return;
    this.deliveries += 1;
    // Decided once per task: every attempt of this webhook gets lost on the way.
    const lostForGood = this.deps.faults.webhook('dropAllAttempts');
    void this.attempt(task, 1, lostForGood);
  }

  close(): void {
    this.closed = true;
    for (const controller of this.controllers) controller.abort();
  }

  private async attempt(task: SimTask, attempt: number, lostForGood: boolean): Promise<void> {
    const { clock, faults } = this.deps;
    const delayMs = faults.webhookDelayMs();
    if (delayMs > 0) await new Promise<void>((resolve) => clock.afterReal(delayMs, resolve));
    if (this.closed) return;

    const at = this.now();
    const prepared = this.prepare(task, attempt);
    // A dropped attempt never reaches the receiver; to cloro it is just a failed one.
    const dropped = lostForGood || faults.webhook('drop');
    const outcome: Outcome = dropped ? { outcome: 'dropped', status: null } : await this.post(prepared);
    if (this.closed) return;
    this.record(task, { attempt, ...at, ...outcome });

    if (outcome.outcome === 'delivered') {
      if (task.webhook) Object.assign(task.webhook, { delivered: true, deliveredAt: clock.now() });
      if (faults.webhook('duplicate')) {
        const copy = await this.post(prepared);
        if (this.closed) return;
        this.record(task, { attempt, ...this.now(), ...copy, duplicate: true });
      }
      return this.settle();
    }
    const delay = this.deps.retryDelaysMs[attempt - 1];
    if (delay === undefined) {
      this.deps.stats.webhookGaveUp();
      return this.settle();
    }
    clock.after(delay, () => void this.attempt(task, attempt + 1, lostForGood));
  }

  private now(): Pick<WebhookAttemptRecord, 'at' | 'cloroTime'> {
    return { at: new Date(this.deps.clock.wallNow()).toISOString(), cloroTime: this.deps.clock.now() };
  }

  private prepare(task: SimTask, attempt: number): Prepared {
    const body = this.deps.render(task);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'cloro-simulator',
      [WEBHOOK_ID_HEADER]: `${task.id}-${attempt}`,
    };
    // Signatures carry real wall time: receivers check them against their own clock.
    if (this.deps.secret) Object.assign(headers, signWebhook(body, this.deps.secret, Math.floor(this.deps.clock.wallNow() / 1000)));
    return { url: task.webhook?.url ?? '', body, headers };
  }

  private async post({ url, body, headers }: Prepared): Promise<Outcome> {
    const controller = new AbortController();
    this.controllers.add(controller);
    try {
      const signal = AbortSignal.any([controller.signal, AbortSignal.timeout(this.deps.timeoutMs)]);
      const res = await this.deps.fetch(url, { method: 'POST', headers, body, signal });
      await res.arrayBuffer().catch(() => undefined);
      return { outcome: res.ok ? 'delivered' : 'failed', status: res.status };
    } catch (err) {
      return { outcome: 'error', status: null, error: describe(err) };
    } finally {
      this.controllers.delete(controller);
    }
  }

  private record(task: SimTask, record: WebhookAttemptRecord): void {
    this.deps.stats.webhookAttempt(task.id, record);
    this.deps.onAttempt(task.id, record);
  }

  private settle(): void {
    this.deliveries -= 1;
    this.deps.onSettled();
  }
}
