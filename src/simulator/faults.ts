/**
 * Fault injection: rules that make the simulator misbehave the way a real network and a
 * real cloro do. Each rule fires either for the next `count` matching events
 * (deterministic, what tests want) or with probability `rate`. Rules are added by
 * options/CLI flags or `POST /_sim/faults`, listed by `GET /_sim/faults`, and cleared
 * by `DELETE /_sim/faults`.
 *
 * Durations here are REAL milliseconds: they model transport, not cloro's scheduler.
 */
import { z } from 'zod';
import type { Rng } from './rng';
import { CREATE_ROUTE_KEYS, ROUTE_KEYS } from './routes/route-table';

const TRIGGER_RULE = 'give exactly one of count (the next N events) or rate (probability 0..1)';

function triggered<S extends z.ZodRawShape>(shape: S) {
  return z
    .strictObject({
      ...shape,
      count: z.number().int().min(1).optional(),
      rate: z.number().min(0).max(1).optional(),
    })
    .refine((rule: { count?: unknown; rate?: unknown }) => (rule.count === undefined) !== (rule.rate === undefined), {
      message: TRIGGER_RULE,
    });
}

/** A single rule or a list of them. */
function oneOrMany<T extends z.ZodType>(rule: T) {
  return z.union([rule, z.array(rule)]).transform((v): z.output<T>[] => (Array.isArray(v) ? v : [v]));
}

function routeSchema(allowed: readonly string[]) {
  const paths = new Set(allowed.map((key) => key.split(' ')[1]));
  return z
    .string()
    .default('*')
    .refine((r) => r === '*' || allowed.includes(r) || paths.has(r), {
      message: `must be "*", a path or "METHOD /path" among: ${allowed.join(', ')}`,
    });
}

const ErrorFaultSchema = triggered({
  route: routeSchema(ROUTE_KEYS),
  status: z.number().int().min(400).max(599),
  code: z.string().min(1).optional(),
  message: z.string().optional(),
  retryAfterSeconds: z.number().int().min(0).optional(),
});

const SlowFaultSchema = triggered({
  route: routeSchema(ROUTE_KEYS),
  ms: z.number().int().min(1).max(600_000),
});

const LoseCreateFaultSchema = triggered({
  route: routeSchema(CREATE_ROUTE_KEYS),
  /** What the client sees instead of the success answer: a gateway error, or a reset connection. */
  respond: z.union([z.literal(502), z.literal(503), z.literal('destroy')]).default(502),
});

const WebhookTriggerSchema = triggered({});

const WebhookFaultsSchema = z.strictObject({
  /** The attempt is lost in transit: the receiver never sees it, cloro counts it failed and retries on schedule. */
  drop: oneOrMany(WebhookTriggerSchema).optional(),
  /** Every attempt for the task is lost: the webhook never arrives (the client must poll). Counted per task. */
  dropAllAttempts: oneOrMany(WebhookTriggerSchema).optional(),
  /** A delivered attempt is sent a second time, same body and webhook id. */
  duplicate: oneOrMany(WebhookTriggerSchema).optional(),
  /** The attempt leaves this many real ms late. */
  delay: oneOrMany(triggered({ ms: z.number().int().min(1).max(3_600_000) })).optional(),
});

const TaskFailureFaultSchema = triggered({
  code: z.string().min(1).default('INTERNAL_SERVER_ERROR'),
  message: z.string().default('Task failed after max retries'),
});

export const FaultsSchema = z.strictObject({
  errors: oneOrMany(ErrorFaultSchema).optional(),
  slow: oneOrMany(SlowFaultSchema).optional(),
  loseCreateResponse: oneOrMany(LoseCreateFaultSchema).optional(),
  webhooks: WebhookFaultsSchema.optional(),
  /** Tasks that finish FAILED regardless of `failureRate`. */
  failTasks: oneOrMany(TaskFailureFaultSchema).optional(),
});
/** Fault rules as given (options `faults`, `POST /_sim/faults`): per kind, one rule or a list. */
export type FaultsInput = z.input<typeof FaultsSchema>;
export type Faults = z.output<typeof FaultsSchema>;

/** Two rule sets as one (e.g. shorthand CLI flags plus a --faults file). */
export function mergeFaults(a: Faults, b: Faults): Faults {
  const both = <T>(x: T[] | undefined, y: T[] | undefined): T[] => [...(x ?? []), ...(y ?? [])];
  return {
    errors: both(a.errors, b.errors),
    slow: both(a.slow, b.slow),
    loseCreateResponse: both(a.loseCreateResponse, b.loseCreateResponse),
    failTasks: both(a.failTasks, b.failTasks),
    webhooks: {
      drop: both(a.webhooks?.drop, b.webhooks?.drop),
      dropAllAttempts: both(a.webhooks?.dropAllAttempts, b.webhooks?.dropAllAttempts),
      duplicate: both(a.webhooks?.duplicate, b.webhooks?.duplicate),
      delay: both(a.webhooks?.delay, b.webhooks?.delay),
    },
  };
}

export type ErrorFault = z.output<typeof ErrorFaultSchema>;
export type LoseCreateFault = z.output<typeof LoseCreateFaultSchema>;
export type TaskFailureFault = z.output<typeof TaskFailureFaultSchema>;

type WebhookKind = keyof z.output<typeof WebhookFaultsSchema>;
type RuleKind = 'errors' | 'slow' | 'loseCreateResponse' | 'failTasks' | `webhooks.${WebhookKind}`;

interface Trigger {
  count?: number | undefined;
  rate?: number | undefined;
  route?: string;
}

/** An active rule, as `GET /_sim/faults` lists it. */
export interface FaultRuleSnapshot {
  kind: RuleKind;
  rule: Trigger;
  /** Left of `count`; null for rate rules. */
  remaining: number | null;
  fired: number;
}

function routeMatches(rule: Trigger, key: string): boolean {
  const route = rule.route ?? '*';
  return route === '*' || route === key || route === key.split(' ')[1];
}

export class FaultInjector {
  private rules: FaultRuleSnapshot[] = [];

  constructor(private readonly rng: Rng) {}

  add(faults: Faults): void {
    const push = (kind: RuleKind, list: readonly Trigger[] | undefined) => {
      for (const rule of list ?? []) this.rules.push({ kind, rule, remaining: rule.count ?? null, fired: 0 });
    };
    push('errors', faults.errors);
    push('slow', faults.slow);
    push('loseCreateResponse', faults.loseCreateResponse);
    push('failTasks', faults.failTasks);
    for (const [kind, list] of Object.entries(faults.webhooks ?? {})) push(`webhooks.${kind as WebhookKind}`, list);
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRuleSnapshot[] {
    return this.rules.map((active) => ({ ...active }));
  }

  /** The first rule of `kind` that matches and fires; count rules are used up, rate rules roll the dice. */
  private take<R extends Trigger>(kind: RuleKind, routeKey?: string): R | undefined {
    for (const active of this.rules) {
      if (active.kind !== kind || (routeKey !== undefined && !routeMatches(active.rule, routeKey))) continue;
      if (active.remaining !== null) {
        active.remaining -= 1;
        if (active.remaining === 0) this.rules = this.rules.filter((r) => r !== active);
      } else if (!this.rng.chance(active.rule.rate ?? 0)) {
        continue;
      }
      active.fired += 1;
      return active.rule as R;
    }
    return undefined;
  }

  error(routeKey: string): ErrorFault | undefined {
    return this.take<ErrorFault>('errors', routeKey);
  }

  slowMs(routeKey: string): number {
    return this.take<z.output<typeof SlowFaultSchema>>('slow', routeKey)?.ms ?? 0;
  }

  loseCreateResponse(routeKey: string): LoseCreateFault | undefined {
    return this.take<LoseCreateFault>('loseCreateResponse', routeKey);
  }

  taskFailure(): TaskFailureFault | undefined {
    return this.take<TaskFailureFault>('failTasks');
  }

  webhook(kind: Exclude<WebhookKind, 'delay'>): boolean {
    return this.take(`webhooks.${kind}`) !== undefined;
  }

  webhookDelayMs(): number {
    return this.take<Trigger & { ms: number }>('webhooks.delay')?.ms ?? 0;
  }
}
