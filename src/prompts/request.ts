/**
 * A prompt as a caller submits it (CLI flags, batch rows, library calls), validated at the
 * client edge, and turned into the workflow's input with a deterministic idempotency key.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CountrySchema, IncludeSchema, PrioritySchema, PromptTextSchema, TaskTypeSchema } from '../cloro/schemas';
import { IDEMPOTENCY_KEY_PATTERN, IDEMPOTENCY_KEY_RULE, promptTextField } from '../cloro/task-rules';
import { DELIVERIES, type PromptTiming, type PromptPolicy, type PromptWorkflowInput } from '../../workflows/definitions';

/** Keys become part of workflow ids and cloro keys: keep them printable and short. */
export const IdempotencyKeySchema = z.string().regex(IDEMPOTENCY_KEY_PATTERN, IDEMPOTENCY_KEY_RULE);

export const PromptRequestSchema = z.strictObject({
  taskType: TaskTypeSchema,
  prompt: PromptTextSchema,
  country: CountrySchema.default('US'),
  include: IncludeSchema.optional(),
  priority: PrioritySchema.default(1),
  idempotencyKey: IdempotencyKeySchema.optional(),
  delivery: z.enum(DELIVERIES).default('auto'),
  batchId: z.string().min(1).optional(),
  labels: z.record(z.string(), z.string()).optional(),
});
/** A prompt as a caller gives it: engine, text, country, priority, optional key, delivery, labels. */
export type PromptRequest = z.input<typeof PromptRequestSchema>;

/** What a derived idempotency key is scoped to: the batch or schedule, and the run. */
export interface KeyScope {
  /** Batch or schedule id; for one-off submissions, "submit". */
  scope: string;
  /** The run the prompt belongs to: a schedule's fire time, or the UTC day of a one-off submission. */
  runAt: string;
}

/**
 * Same scope, run, engine, country and prompt → same key → same workflow. So resubmitting
 * a prompt within the same run returns the first execution instead of paying again.
 */
export function deriveIdempotencyKey(req: { taskType: string; country: string; prompt: string }, { scope, runAt }: KeyScope): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([scope, runAt, req.taskType, req.country, req.prompt]))
    .digest('base64url')
    .slice(0, 22);
  return `${req.taskType.toLowerCase()}-${req.country.toLowerCase()}-${digest}`;
}

/** Validates a request and turns it into the prompt workflow's input, its key derived in `scope` unless given. */
export function toWorkflowInput(
  raw: PromptRequest,
  scope: KeyScope,
  overrides: { timing?: Partial<PromptTiming>; policy?: Partial<PromptPolicy> } = {},
): PromptWorkflowInput {
  const req = PromptRequestSchema.parse(raw);
  const textField = promptTextField(req.taskType);
  return {
    idempotencyKey: req.idempotencyKey ?? deriveIdempotencyKey(req, scope),
    request: {
      taskType: req.taskType,
      payload: { [textField]: req.prompt, country: req.country, ...(req.include ? { include: req.include } : {}) },
      priority: req.priority,
    },
    delivery: req.delivery,
    ...(req.batchId ? { batchId: req.batchId } : {}),
    ...(req.labels ? { labels: req.labels } : {}),
    ...overrides,
  };
}

// Lives with the workflow definitions because the batch workflow maps priorities too.

/** The Web UI's "Details" panel: the whole prompt and how it runs (the summary line cuts it short). */
export function promptDetailsText(input: PromptWorkflowInput): string {
  const text = input.request.payload.prompt ?? input.request.payload.query ?? '';
  return [
    `**${input.request.taskType}** · ${input.request.payload.country} · cloro priority ${input.request.priority} · delivery ${input.delivery}`,
    `key \`${input.idempotencyKey}\`${input.batchId ? ` · batch \`${input.batchId}\`` : ''}`,
    '',
    text,
  ].join('\n');
}
