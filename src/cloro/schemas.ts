/**
 * cloro's wire contract, written once. Every request and response type in the project is
 * `z.infer` of a schema here.
 *
 * Two postures on purpose:
 * - what we SEND (and what the simulator ACCEPTS) is strict: cloro rejects unknown keys,
 *   so catching them here turns a production 422 into a local error;
 * - what we READ is tolerant (loose objects, optional extras): a field cloro adds
 *   tomorrow must not break a workflow that is already running.
 */
import { z } from 'zod';
import { promptTextField } from './task-rules';

export const TASK_TYPES = ['AIMODE', 'GOOGLE', 'GOOGLE_NEWS', 'GEMINI', 'CHATGPT', 'COPILOT', 'PERPLEXITY', 'GROK'] as const;
export const TaskTypeSchema = z.enum(TASK_TYPES);
/** cloro's engines: one of TASK_TYPES. */
export type TaskType = z.infer<typeof TaskTypeSchema>;

export const TASK_STATUSES = ['QUEUED', 'PROCESSING', 'COMPLETED', 'FAILED'] as const;
export const TaskStatusSchema = z.enum(TASK_STATUSES);
export type TaskStatus = z.infer<typeof TaskStatusSchema>;
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(['COMPLETED', 'FAILED']);

/**
 * A status cloro may add (cloro's own SDK reads statuses as plain strings) is "not finished
 * yet" unless its name says the task is over: such a task will never become COMPLETED.
 */
const ENDED_LOOKING_STATUS = /^(CANCEL|EXPIRE|ERROR|ERRORED|FAIL|ABORT|REJECT|DELETE|PURGE|TIMEOUT|TIMED_OUT|DEAD|KILL|TERMINATE)/;

/** Whether a task in this status is over: COMPLETED, FAILED, or an unknown status that reads as ended. */
export function isEndedStatus(status: string): boolean {
  return TERMINAL_STATUSES.has(status) || ENDED_LOOKING_STATUS.test(status);
}

export const CountrySchema = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as US');
export const PrioritySchema = z.number().int().min(1).max(10);
export const PromptTextSchema = z.string().trim().min(1, 'must not be empty').max(10_000, 'must be at most 10,000 characters');

export const IncludeSchema = z.strictObject({
  markdown: z.boolean().optional(),
  html: z.boolean().optional(),
  rawResponse: z.boolean().optional(),
  searchQueries: z.boolean().optional(),
  ads: z.boolean().optional(),
  shopping: z.boolean().optional(),
  aiOverview: z.boolean().optional(),
});
/** Optional parts of an answer (markdown, html, raw response, …). */
export type Include = z.infer<typeof IncludeSchema>;

export const TaskPayloadSchema = z.strictObject({
  prompt: PromptTextSchema.optional(),
  query: PromptTextSchema.optional(),
  country: CountrySchema,
  include: IncludeSchema.optional(),
  state: z.string().min(1).optional(),
  gl: z.string().optional(),
  hl: z.string().optional(),
  url: z.string().optional(),
  pages: z.number().int().min(1).max(10).optional(),
  device: z.enum(['desktop', 'mobile']).optional(),
});
export type TaskPayload = z.infer<typeof TaskPayloadSchema>;

export const WebhookConfigSchema = z.strictObject({ url: z.url() });

/** One task to create: the body of `POST /v1/async/task` and one item of the batch endpoint. */
export const CreateTaskRequestSchema = z
  .strictObject({
    taskType: TaskTypeSchema,
    payload: TaskPayloadSchema,
    priority: PrioritySchema.optional(),
    idempotencyKey: z.string().min(1).max(256).optional(),
    webhook: WebhookConfigSchema.optional(),
  })
  .superRefine((req, ctx) => {
    const field = promptTextField(req.taskType);
    if (req.payload[field] === undefined) {
      ctx.addIssue({ code: 'custom', path: ['payload', field], message: `is required for ${req.taskType}` });
    }
  });
export type CreateTaskRequest = z.infer<typeof CreateTaskRequestSchema>;

export const BatchCreateRequestSchema = z.array(z.unknown()).min(1).max(500);

// ---------------------------------------------------------------- responses (tolerant)

export const CreditsSchema = z.looseObject({
  creditsToCharge: z.number(),
  // null until the task finishes (some fixtures say 0)
  creditsCharged: z
    .number()
    .nullable()
    .optional()
    .transform((v) => v ?? null),
});
export type Credits = z.infer<typeof CreditsSchema>;

/** Read side: a task type or status cloro adds tomorrow is a string to carry, never a protocol error. */
export const TaskSummarySchema = z.looseObject({
  id: z.string().min(1),
  taskType: z.string().min(1),
  status: z.string().min(1),
  priority: PrioritySchema.optional().default(1),
  createdAt: z.string(),
  idempotencyKey: z
    .string()
    .nullable()
    .optional()
    .transform((v) => v ?? null),
  latencyMs: z.number().nullable().optional(),
});
export type TaskSummary = z.infer<typeof TaskSummarySchema>;

export const CreateTaskResponseSchema = z.looseObject({
  success: z.literal(true).optional(),
  task: TaskSummarySchema,
  credits: CreditsSchema,
});
export type CreateTaskResponse = z.infer<typeof CreateTaskResponseSchema>;

export const SourceSchema = z.looseObject({
  position: z.number().optional(),
  url: z.string(),
  label: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
});
export type Source = z.infer<typeof SourceSchema>;

/** A provider's answer. Optional blocks are omitted rather than empty; extras pass through. */
export const TaskResultSchema = z.looseObject({
  model: z.string().optional(),
  text: z.string().optional(),
  markdown: z.string().optional(),
  html: z.union([z.string(), z.array(z.string())]).optional(),
  sources: z.array(SourceSchema).optional(),
  searchQueries: z.array(z.string()).optional(),
  shoppingCards: z.array(z.unknown()).optional(),
  entities: z.array(z.unknown()).optional(),
});
export type TaskResult = z.infer<typeof TaskResultSchema>;

export const TaskErrorSchema = z.looseObject({
  code: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
});
export type TaskError = z.infer<typeof TaskErrorSchema>;

export const WebhookStatusSchema = z.looseObject({
  url: z.string(),
  delivered: z.boolean(),
  deliveredAt: z.string().nullable().optional(),
});

/**
 * `GET /v1/async/task/{id}` and the webhook body (the same document). The `response` of a
 * COMPLETED task is usually the bare result but one SDK fixture wraps it as
 * `{success, result}`; a FAILED task carries `{error}` there (or, tolerated, at the top).
 */
export const TaskDocumentSchema = z.looseObject({
  success: z.boolean().optional(),
  task: TaskSummarySchema,
  credits: CreditsSchema,
  response: z.record(z.string(), z.unknown()).nullable().optional(),
  error: TaskErrorSchema.optional(),
  webhook: WebhookStatusSchema.optional(),
  latencyMs: z.number().nullable().optional(),
});
export type TaskDocument = z.infer<typeof TaskDocumentSchema>;

interface TaskBase {
  id: string;
  /** One of TASK_TYPES, or a type cloro added since. */
  taskType: string;
  priority: number;
  createdAt: string;
  idempotencyKey: string | null;
  credits: Credits;
  latencyMs: number | null;
  webhook?: z.infer<typeof WebhookStatusSchema>;
}

/** A task as the rest of the project sees it: a union on `status`. */
export type CloroTask =
  | (TaskBase & { status: 'QUEUED' })
  | (TaskBase & { status: 'PROCESSING' })
  | (TaskBase & { status: 'COMPLETED'; result: TaskResult })
  | (TaskBase & { status: 'FAILED'; error: TaskError })
  /** A status outside TASK_STATUSES, carried as cloro sent it; `terminal` when its name says the task is over. */
  | (TaskBase & { status: 'UNKNOWN'; cloroStatus: string; terminal: boolean });

const UNKNOWN_FAILURE: TaskError = { code: 'UNKNOWN', message: 'Task failed without an error body' };

/** Flattens a parsed task document into `CloroTask`; throws a ZodError if the result block is malformed. */
export function toCloroTask(doc: TaskDocument): CloroTask {
  const base: TaskBase = {
    id: doc.task.id,
    taskType: doc.task.taskType,
    priority: doc.task.priority,
    createdAt: doc.task.createdAt,
    idempotencyKey: doc.task.idempotencyKey,
    credits: doc.credits,
    latencyMs: doc.task.latencyMs ?? doc.latencyMs ?? null,
    ...(doc.webhook ? { webhook: doc.webhook } : {}),
  };
  switch (doc.task.status) {
    case 'COMPLETED': {
      const raw = doc.response ?? {};
      const unwrapped = 'result' in raw && typeof raw.result === 'object' && raw.result !== null ? raw.result : raw;
      return { ...base, status: 'COMPLETED', result: TaskResultSchema.parse(unwrapped) };
    }
    case 'FAILED': {
      const nested = doc.response?.error;
      const error = nested !== undefined ? TaskErrorSchema.parse(nested) : (doc.error ?? UNKNOWN_FAILURE);
      return { ...base, status: 'FAILED', error };
    }
    case 'QUEUED':
    case 'PROCESSING':
      return { ...base, status: doc.task.status };
    default:
      return { ...base, status: 'UNKNOWN', cloroStatus: doc.task.status, terminal: isEndedStatus(doc.task.status) };
  }
}

export const StatusResponseSchema = z.looseObject({
  queuedTasks: z.number().int(),
  processingTasks: z.number().int(),
  priorityBreakdown: z.array(z.looseObject({ priority: z.number().int(), count: z.number().int() })).default([]),
  // null during cloro maintenance: callers fall back to configured concurrency
  concurrency: z
    .looseObject({ used: z.number().int(), max: z.number().int() })
    .nullable()
    .optional()
    .transform((v) => v ?? null),
});
export type StatusResponse = z.infer<typeof StatusResponseSchema>;

/** cloro's SDK reads only `results[]` with `success`, `task`, `error`: `index` and `summary` may be absent. */
export const BatchItemResultSchema = z.discriminatedUnion('success', [
  z.looseObject({ success: z.literal(true), index: z.number().int().optional(), task: TaskSummarySchema, credits: CreditsSchema }),
  z.looseObject({ success: z.literal(false), index: z.number().int().optional(), error: TaskErrorSchema }),
]);
export type BatchItemResult = z.infer<typeof BatchItemResultSchema>;

export const BatchCreateResponseSchema = z.looseObject({
  success: z.boolean().optional(),
  summary: z.looseObject({ total: z.number().int(), succeeded: z.number().int(), failed: z.number().int() }).optional(),
  results: z.array(BatchItemResultSchema),
});
export type BatchCreateResponse = z.infer<typeof BatchCreateResponseSchema>;

export const CreditsBalanceSchema = z.looseObject({
  remaining: z.number(),
  perCycle: z
    .number()
    .nullable()
    .optional()
    .transform((v) => v ?? null),
  cycleResetsAt: z
    .string()
    .nullable()
    .optional()
    .transform((v) => v ?? null),
});
export type CreditsBalance = z.infer<typeof CreditsBalanceSchema>;

export const ClearQueueResponseSchema = z.looseObject({ success: z.boolean().optional(), cleared: z.number().int() });
export type ClearQueueResponse = z.infer<typeof ClearQueueResponseSchema>;

export const CountriesResponseSchema = z.array(z.string());

/**
 * Error bodies come in two shapes: the envelope `{success:false, error:{code,message,details,timestamp}}`
 * and, on some async validation errors, `{error: "<string>", details: [...]}`.
 */
export const ErrorEnvelopeSchema = z.union([
  z.looseObject({
    success: z.literal(false).optional(),
    error: z.looseObject({
      code: z.string(),
      message: z.string().optional().default(''),
      details: z.unknown().optional(),
      timestamp: z.string().optional(),
    }),
  }),
  z.looseObject({ error: z.string(), details: z.unknown().optional() }),
]);
export type ErrorEnvelope = z.infer<typeof ErrorEnvelopeSchema>;

// ---------------------------------------------------------------- synchronous monitor endpoints

/** Body of `POST /v1/monitor/<provider>`: the async payload, where `country` still defaults to US. */
export const MonitorRequestSchema = TaskPayloadSchema.extend({ country: CountrySchema.default('US') });
export type MonitorRequest = z.infer<typeof MonitorRequestSchema>;

/** Answer of `POST /v1/monitor/<provider>`: the provider's result inline. */
export const MonitorResponseSchema = z.looseObject({ success: z.literal(true).optional(), result: TaskResultSchema });
export type MonitorResponse = z.infer<typeof MonitorResponseSchema>;
