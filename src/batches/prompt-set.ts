/**
 * Prompt sets: a large batch's items stored once in the results database
 * (src/store/prompt-sets.ts), so the batch workflow carries a name and an offset instead
 * of 100,000 items. Each stored item is one resolved item (defaults applied, idempotency
 * key derived), parsed again with this schema when read (the database is a boundary too).
 */
import { z } from 'zod';
import { CountrySchema, IncludeSchema, PrioritySchema, PromptTextSchema, TaskTypeSchema } from '../cloro/schemas';
import { IdempotencyKeySchema } from '../prompts/request';
import { DELIVERIES } from '../../workflows/definitions';

/** A set is named for its batch id: a plain name, no separators, no dot at the start. */
export const PromptSetNameSchema = z.string().regex(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/, 'must be a plain file name');

export const BatchItemSchema = z.strictObject({
  idempotencyKey: IdempotencyKeySchema,
  request: z.strictObject({
    taskType: TaskTypeSchema,
    payload: z.strictObject({
      prompt: PromptTextSchema.optional(),
      query: PromptTextSchema.optional(),
      country: CountrySchema,
      include: IncludeSchema.optional(),
    }),
    priority: PrioritySchema,
  }),
  delivery: z.enum(DELIVERIES),
  labels: z.record(z.string(), z.string()).optional(),
  monitor: z.strictObject({ monitorId: z.string(), runId: z.string(), brand: z.string() }).optional(),
});
