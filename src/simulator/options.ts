/**
 * Everything a simulator run can be told, parsed once with zod. Numbers that describe
 * cloro (prices, retry schedule, retention) are data here, not constants in code.
 */
import { randomInt } from 'node:crypto';
import { z } from 'zod';
import { ASYNC_CREDIT_PRICES } from '../cloro/prices';
import { TaskTypeSchema, type TaskType } from '../cloro/schemas';
import { ConfigError, formatZodError } from '../config';
import { LOG_LEVELS_OR_SILENT } from '../log-levels';
import { FaultsSchema } from './faults';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Async credits per task type (the shared price table). */
export const DEFAULT_PRICES = ASYNC_CREDIT_PRICES;

/** Plan concurrency: tasks PROCESSING at once (cloro plans: 1 … 255). */
export const PlanConcurrencySchema = z.number().int().min(1).max(10_000);

export const SimulatorOptionsSchema = z.strictObject({
  port: z.number().int().min(0).max(65535).default(4010),
  host: z.string().min(1).default('127.0.0.1'),
  /** Unset: any bearer key is accepted (a missing header is still 401). */
  apiKey: z.string().min(1).optional(),
  /** Plan concurrency at start; `Simulator.setConcurrency` changes it while the org runs. */
  concurrency: PlanConcurrencySchema.default(10),
  /** Most tasks QUEUED at once; one more is 429 QUEUE_LIMIT_EXCEEDED. */
  queueLimit: z.number().int().min(0).default(100_000),
  initialCredits: z.number().min(0).default(1_000_000),
  /** Length of a credit cycle in cloro time; the balance refills to `initialCredits` when it ends. */
  creditCycleMs: z
    .number()
    .int()
    .positive()
    .default(30 * DAY),
  prices: z
    .partialRecord(TaskTypeSchema, z.number().min(0))
    .default({})
    .transform((p): Record<TaskType, number> => ({ ...DEFAULT_PRICES, ...p })),
  /** Each paid add-on (state, raw response, AI overview, each extra Google page). */
  addOnPrice: z.number().min(0).default(2),
  /** Extra credits of the synchronous /v1/monitor endpoints. */
  syncSurcharge: z.number().min(0).default(2),
  /** Processing time of one task, uniform between min and max, in cloro time. */
  processingMs: z
    .strictObject({ min: z.number().min(0), max: z.number().min(0) })
    .refine((p) => p.min <= p.max, { message: 'min must not exceed max' })
    .default({ min: 5_000, max: 20_000 }),
  /** cloro-time ms per real ms: 1000 turns 24 h retention into ~86 s and a 16 min retry into ~1 s. */
  timeScale: z.number().positive().max(1e9).default(1),
  /** How long a finished task stays readable, in cloro time. */
  retentionMs: z.number().int().positive().default(DAY),
  /** Delays before attempts 2, 3, … of a webhook, in cloro time; attempts in all = length + 1. */
  webhookRetryDelaysMs: z
    .array(z.number().min(0))
    .max(20)
    .default([2 * MINUTE, 4 * MINUTE, 8 * MINUTE, 16 * MINUTE]),
  /** Real ms one webhook attempt may take before it counts as failed. */
  webhookTimeoutMs: z.number().int().positive().default(10_000),
  /** When set, webhooks carry X-Cloro-Timestamp and X-Cloro-Signature. */
  webhookSecret: z.string().min(1).optional(),
  failureRate: z.number().min(0).max(1).default(0),
  failureCode: z.string().min(1).default('INTERNAL_SERVER_ERROR'),
  failureMessage: z.string().min(1).default('Task failed after max retries'),
  /** Seeds processing times, failures and rate-based faults; random when unset. */
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .optional(),
  /** cloro answers async validation errors with 422; some references say 400. */
  validationStatus: z.union([z.literal(422), z.literal(400)]).default(422),
  /** Vendor tests say 402, the OpenAPI says 403. */
  insufficientCreditsStatus: z.union([z.literal(402), z.literal(403)]).default(402),
  /** Undocumented: also find a task by idempotency key on GET /v1/async/task/<key>. */
  lookupByIdempotencyKey: z.boolean().default(false),
  /** Simulate maintenance: /v1/async/status answers `concurrency: null`. */
  statusConcurrencyNull: z.boolean().default(false),
  /** Requests per second per endpoint per key before 429 RATE_LIMIT_EXCEEDED; 0 turns the limit off. */
  rateLimitPerSecond: z.number().int().min(0).default(1000),
  faults: FaultsSchema.optional(),
  logLevel: z.enum(LOG_LEVELS_OR_SILENT).default('silent'),
});

export type SimulatorOptionsInput = z.input<typeof SimulatorOptionsSchema>;
export type SimulatorOptions = z.output<typeof SimulatorOptionsSchema> & { seed: number };

/** Parses options or throws one `ConfigError` line naming each bad field. */
export function parseSimulatorOptions(input: SimulatorOptionsInput | undefined): SimulatorOptions {
  const parsed = SimulatorOptionsSchema.safeParse(input ?? {});
  if (!parsed.success) throw new ConfigError(`invalid simulator options: ${formatZodError(parsed.error)}`);
  return { ...parsed.data, seed: parsed.data.seed ?? randomInt(2 ** 32 - 1) };
}
