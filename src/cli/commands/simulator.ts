/**
 * `cloro-temporal simulator`: the local cloro as a standalone server (like stripe-mock),
 * for developing against cloro offline. Serves until SIGINT/SIGTERM, then closes cleanly.
 */
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { z } from 'zod';
import { TASK_TYPES, type TaskType } from '../../cloro/schemas';
import { startSimulator, type SimulatorOptionsInput } from '../../simulator';
import { FaultsSchema, mergeFaults, type Faults } from '../../simulator/faults';
import { LOG_LEVELS_OR_SILENT } from '../../log-levels';
import { UsageError } from '../handle-error';
import { parseOptions } from '../parse-options';
import { waitForShutdownSignal } from '../shutdown';

const int = (min: number) => z.coerce.number().int().min(min);
const rate = z.coerce.number().min(0).max(1);

/** `--faults` takes the body of POST /_sim/faults inline, or `@file.json`. */
const FaultsFlagSchema = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text.startsWith('@') ? readFileSync(text.slice(1), 'utf8') : text) as unknown;
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `is not JSON or a readable @file (${(err as Error).message})` });
      return z.NEVER;
    }
  })
  .pipe(FaultsSchema);

const PriceFlagSchema = z
  .string()
  .regex(new RegExp(`^(${TASK_TYPES.join('|')})=\\d+(\\.\\d+)?$`), `must be TYPE=credits with TYPE one of ${TASK_TYPES.join(', ')}`);

export const SimulatorFlagsSchema = z.object({
  port: int(0).max(65535),
  host: z.string().min(1),
  apiKey: z.string().min(1).optional(),
  concurrency: int(1).optional(),
  queueLimit: int(0).optional(),
  credits: z.coerce.number().min(0).optional(),
  price: z.array(PriceFlagSchema).default([]),
  timeScale: z.coerce.number().positive().optional(),
  processingMinMs: z.coerce.number().min(0).optional(),
  processingMaxMs: z.coerce.number().min(0).optional(),
  webhookSecret: z.string().min(1).optional(),
  failureRate: rate.optional(),
  failureCode: z.string().min(1).optional(),
  seed: int(0).optional(),
  validationStatus: z.coerce
    .number()
    .pipe(z.union([z.literal(422), z.literal(400)]))
    .optional(),
  insufficientCreditsStatus: z.coerce
    .number()
    .pipe(z.union([z.literal(402), z.literal(403)]))
    .optional(),
  lookupByIdempotencyKey: z.boolean().optional(),
  statusConcurrencyNull: z.boolean().optional(),
  rateLimit: int(0).optional(),
  faults: FaultsFlagSchema.optional(),
  errorRate: rate.optional(),
  errorStatus: int(400).max(599).default(503),
  dropWebhooks: rate.optional(),
  duplicateWebhooks: rate.optional(),
  webhookDelayMs: int(1).optional(),
  slowMs: int(1).optional(),
  loseCreateResponses: rate.optional(),
  logLevel: z.enum(LOG_LEVELS_OR_SILENT),
});
export type SimulatorFlags = z.infer<typeof SimulatorFlagsSchema>;

/** The shorthand fault flags, as rules of the same shape `POST /_sim/faults` takes. */
function shorthandFaults(flags: SimulatorFlags): Faults {
  const when = <T>(value: number | undefined, rule: (v: number) => T): T[] => (value === undefined ? [] : [rule(value)]);
  return FaultsSchema.parse({
    errors: when(flags.errorRate, (rate) => ({ status: flags.errorStatus, rate })),
    slow: when(flags.slowMs, (ms) => ({ ms, rate: 1 })),
    loseCreateResponse: when(flags.loseCreateResponses, (rate) => ({ rate })),
    webhooks: {
      drop: when(flags.dropWebhooks, (rate) => ({ rate })),
      duplicate: when(flags.duplicateWebhooks, (rate) => ({ rate })),
      delay: when(flags.webhookDelayMs, (ms) => ({ ms, rate: 1 })),
    },
  });
}

/** Only one bound given: the other keeps its default unless that would cross it. */
function processingMs(min: number | undefined, max: number | undefined): SimulatorOptionsInput['processingMs'] {
  if (min === undefined && max === undefined) return undefined;
  const range = { min: min ?? Math.min(5_000, max ?? 5_000), max: max ?? Math.max(20_000, min ?? 20_000) };
  if (range.min > range.max) throw new UsageError('--processing-min-ms must not exceed --processing-max-ms');
  return range;
}

export function toSimulatorOptions(flags: SimulatorFlags): SimulatorOptionsInput {
  const prices = Object.fromEntries(flags.price.map((p) => p.split('=')).map(([type, credits]) => [type, Number(credits)]));
  return {
    port: flags.port,
    host: flags.host,
    apiKey: flags.apiKey,
    concurrency: flags.concurrency,
    queueLimit: flags.queueLimit,
    initialCredits: flags.credits,
    prices: prices as Partial<Record<TaskType, number>>,
    timeScale: flags.timeScale,
    processingMs: processingMs(flags.processingMinMs, flags.processingMaxMs),
    webhookSecret: flags.webhookSecret,
    failureRate: flags.failureRate,
    failureCode: flags.failureCode,
    seed: flags.seed,
    validationStatus: flags.validationStatus,
    insufficientCreditsStatus: flags.insufficientCreditsStatus,
    lookupByIdempotencyKey: flags.lookupByIdempotencyKey,
    statusConcurrencyNull: flags.statusConcurrencyNull,
    rateLimitPerSecond: flags.rateLimit,
    faults: mergeFaults(flags.faults ?? {}, shorthandFaults(flags)),
    logLevel: flags.logLevel,
  };
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function simulatorCommand(): Command {
  return new Command('simulator')
    .description('serve a local cloro (same routes, errors, scheduler, webhooks) for offline development and tests')
    .option('--port <n>', 'listen port (0 = any free port)', '4010')
    .option('--host <address>', 'listen address', '127.0.0.1')
    .option('--api-key <key>', 'accept only this bearer key (default: any key)')
    .option('--concurrency <n>', 'plan concurrency: tasks processed at once (default 10)')
    .option('--queue-limit <n>', 'most tasks QUEUED before 429 (default 100000)')
    .option('--credits <n>', 'credits per cycle (default 1000000)')
    .option('--price <type=credits>', 'price of a task type, e.g. CHATGPT=10 (repeatable)', collect, [])
    .option('--time-scale <x>', 'cloro-time ms per real ms: 1000 turns 24 h retention into ~86 s (default 1)')
    .option('--processing-min-ms <ms>', 'shortest processing time, cloro time (default 5000)')
    .option('--processing-max-ms <ms>', 'longest processing time, cloro time (default 20000)')
    .option('--webhook-secret <whsec>', 'sign webhooks (X-Cloro-Signature) with this secret')
    .option('--failure-rate <r>', 'share of tasks that end FAILED, 0..1 (default 0)')
    .option('--failure-code <code>', 'error code of FAILED tasks (default INTERNAL_SERVER_ERROR)')
    .option('--seed <n>', 'seed for processing times, failures and fault rates (default random)')
    .option('--validation-status <status>', 'HTTP status of validation errors: 422 or 400 (default 422)')
    .option('--insufficient-credits-status <status>', 'HTTP status of INSUFFICIENT_CREDITS: 402 or 403 (default 402)')
    .option('--lookup-by-idempotency-key', 'also find tasks by idempotency key on GET /v1/async/task/<key>')
    .option('--status-concurrency-null', 'answer concurrency: null on /v1/async/status (maintenance)')
    .option('--rate-limit <n>', 'requests per second per endpoint per key, 0 = off (default 1000)')
    .option('--faults <json|@file>', 'fault rules, the body of POST /_sim/faults')
    .option('--error-rate <r>', 'answer this share of cloro requests with --error-status')
    .option('--error-status <status>', 'status of --error-rate errors', '503')
    .option('--drop-webhooks <r>', 'share of webhook attempts lost in transit (retried)')
    .option('--duplicate-webhooks <r>', 'share of delivered webhooks sent twice')
    .option('--webhook-delay-ms <ms>', 'send every webhook attempt this many real ms late')
    .option('--slow-ms <ms>', 'answer every cloro request this many real ms late')
    .option('--lose-create-responses <r>', 'share of creates whose answer is lost after the task was created (502)')
    .addOption(new Option('--log-level <level>', 'request log level').choices(LOG_LEVELS_OR_SILENT).default('warn'))
    .action(async (raw: unknown) => {
      const options = toSimulatorOptions(parseOptions(SimulatorFlagsSchema, raw));
      const running = await startSimulator(options).catch((err: unknown) => {
        if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
          throw new UsageError(`port ${options.port} is already in use`, 'pick another with --port, or --port 0 for any free port');
        }
        throw err;
      });
      const { seed, timeScale, concurrency } = running.sim.options;
      console.log(`cloro simulator listening on ${running.url}`);
      console.log(`  concurrency ${concurrency}, time scale ${timeScale}, seed ${seed}; stats at ${running.url}/_sim/stats`);
      console.log(`  point a client at it: CLORO_BASE_URL=${running.url}`);
      await waitForShutdownSignal();
      await running.close();
    });
}
