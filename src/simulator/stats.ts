/**
 * What happened, for tests and benchmarks: every figure a client's correctness or
 * efficiency can be judged by (creates per idempotency key, peak concurrency, busy slot
 * time, credits, webhook attempts) without scraping logs. Served by `GET /_sim/stats`.
 */
import type { TaskStatus } from '../cloro/schemas';

/** How one webhook attempt ended: answered 2xx, answered otherwise, no answer (timeout, refused), or lost by a fault. */
export type WebhookOutcome = 'delivered' | 'failed' | 'error' | 'dropped';

/** One webhook attempt, as `stats().webhooks.byTask` lists them. */
export interface WebhookAttemptRecord {
  attempt: number;
  /** Wall-clock time the attempt left. */
  at: string;
  /** The same instant in cloro time (epoch ms): retry gaps read as cloro's 2, 4, 8, 16 minutes. */
  cloroTime: number;
  outcome: WebhookOutcome;
  /** HTTP status of the receiver's answer; null when there was none. */
  status: number | null;
  error?: string;
  /** A second copy sent by the duplicate-webhook fault. */
  duplicate?: boolean;
}

interface KeyCounts {
  requests: number;
  created: number;
  conflicts: number;
}

/** Everything the simulator counted since start or the last reset (`GET /_sim/stats`). */
export interface StatsSnapshot {
  seed: number;
  timeScale: number;
  requests: Record<string, { total: number; byStatus: Record<string, number> }>;
  creates: {
    requests: number;
    created: number;
    conflicts: number;
    rejected: number;
    byIdempotencyKey: Record<string, KeyCounts>;
  };
  tasks: {
    byState: Record<TaskStatus, number>;
    created: number;
    completed: number;
    failed: number;
    cancelled: number;
    purged: number;
  };
  concurrency: { max: number; maxObservedProcessing: number };
  busySlotSeconds: { cloro: number; real: number };
  credits: { charged: number; remaining: number };
  webhooks: {
    attempts: number;
    delivered: number;
    failed: number;
    dropped: number;
    duplicates: number;
    gaveUp: number;
    byTask: Record<string, WebhookAttemptRecord[]>;
  };
}

/** Live figures the collector does not own: the engine passes them in when a snapshot is taken. */
export interface LiveFigures {
  seed: number;
  timeScale: number;
  concurrency: number;
  byState: Record<TaskStatus, number>;
  creditsRemaining: number;
  /** Busy time of the tasks still PROCESSING, so far. */
  runningBusy: { cloroMs: number; realMs: number };
}

export class StatsCollector {
  private requests = new Map<string, { total: number; byStatus: Record<string, number> }>();
  private keys = new Map<string, KeyCounts>();
  private creates = { requests: 0, created: 0, conflicts: 0, rejected: 0 };
  private tasks = { created: 0, completed: 0, failed: 0, cancelled: 0, purged: 0 };
  private maxObservedProcessing = 0;
  private busy = { cloroMs: 0, realMs: 0 };
  private creditsCharged = 0;
  private webhooks = { attempts: 0, delivered: 0, failed: 0, dropped: 0, duplicates: 0, gaveUp: 0 };
  private webhooksByTask = new Map<string, WebhookAttemptRecord[]>();

  /** `status` is the HTTP status, or a word when there was none (a destroyed connection). */
  request(routeKey: string, status: number | string): void {
    const entry = this.requests.get(routeKey) ?? { total: 0, byStatus: {} };
    entry.total += 1;
    entry.byStatus[status] = (entry.byStatus[status] ?? 0) + 1;
    this.requests.set(routeKey, entry);
  }

  createAttempt(idempotencyKey: string | null, outcome: 'created' | 'conflict' | 'rejected'): void {
    this.creates.requests += 1;
    if (outcome === 'created') {
      this.creates.created += 1;
      this.tasks.created += 1;
    } else if (outcome === 'conflict') this.creates.conflicts += 1;
    else this.creates.rejected += 1;
    if (idempotencyKey === null) return;
    const counts = this.keys.get(idempotencyKey) ?? { requests: 0, created: 0, conflicts: 0 };
    counts.requests += 1;
    if (outcome === 'created') counts.created += 1;
    if (outcome === 'conflict') counts.conflicts += 1;
    this.keys.set(idempotencyKey, counts);
  }

  processing(count: number): void {
    this.maxObservedProcessing = Math.max(this.maxObservedProcessing, count);
  }

  finished(status: 'COMPLETED' | 'FAILED', busyCloroMs: number, busyRealMs: number): void {
    if (status === 'COMPLETED') this.tasks.completed += 1;
    else this.tasks.failed += 1;
    this.busy.cloroMs += busyCloroMs;
    this.busy.realMs += busyRealMs;
  }

  charged(credits: number): void {
    this.creditsCharged += credits;
  }

  cancelled(count: number): void {
    this.tasks.cancelled += count;
  }

  purged(): void {
    this.tasks.purged += 1;
  }

  webhookAttempt(taskId: string, record: WebhookAttemptRecord): void {
    const list = this.webhooksByTask.get(taskId) ?? [];
    list.push(record);
    this.webhooksByTask.set(taskId, list);
    if (record.duplicate) {
      this.webhooks.duplicates += 1;
      return;
    }
    this.webhooks.attempts += 1;
    if (record.outcome === 'delivered') this.webhooks.delivered += 1;
    else if (record.outcome === 'dropped') this.webhooks.dropped += 1;
    else this.webhooks.failed += 1;
  }

  webhookGaveUp(): void {
    this.webhooks.gaveUp += 1;
  }

  snapshot(live: LiveFigures): StatsSnapshot {
    return {
      seed: live.seed,
      timeScale: live.timeScale,
      requests: Object.fromEntries([...this.requests].map(([k, v]) => [k, { total: v.total, byStatus: { ...v.byStatus } }])),
      creates: { ...this.creates, byIdempotencyKey: Object.fromEntries([...this.keys].map(([k, v]) => [k, { ...v }])) },
      tasks: { byState: live.byState, ...this.tasks },
      concurrency: { max: live.concurrency, maxObservedProcessing: this.maxObservedProcessing },
      busySlotSeconds: {
        cloro: (this.busy.cloroMs + live.runningBusy.cloroMs) / 1000,
        real: (this.busy.realMs + live.runningBusy.realMs) / 1000,
      },
      credits: { charged: this.creditsCharged, remaining: live.creditsRemaining },
      webhooks: {
        ...this.webhooks,
        byTask: Object.fromEntries([...this.webhooksByTask].map(([k, v]) => [k, v.map((r) => ({ ...r }))])),
      },
    };
  }
}
