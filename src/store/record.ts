import { z } from 'zod';
import type { BatchItem, PromptSetPage } from '../../workflows/definitions';
import { CreditsSchema, PrioritySchema, TaskErrorSchema, TaskResultSchema, TaskTypeSchema } from '../cloro/schemas';

/**
 * One prompt as the results store keeps it: written just before the task is created (so
 * the store also shows what is in flight) and completed with the answer or error. The prompt
 * text lives here rather than in every fetch activity's input, which keeps history small.
 */
export const PromptRecordSchema = z.object({
  workflowId: z.string(),
  idempotencyKey: z.string(),
  /** Null until the answer is fetched: the submission is recorded before cloro is called. */
  taskId: z.string().nullable(),
  taskType: TaskTypeSchema,
  prompt: z.string(),
  country: z.string(),
  batchId: z.string().nullable(),
  /** Optional so records written before they were kept still parse; callers may leave them out. */
  priority: PrioritySchema.nullable().optional(),
  monitorId: z.string().nullable().optional(),
  runId: z.string().nullable().optional(),
  labels: z.record(z.string(), z.string()),
  submittedAt: z.string(),
  status: z.enum(['SUBMITTED', 'COMPLETED', 'FAILED']),
  credits: CreditsSchema.nullable(),
  result: TaskResultSchema.nullable(),
  error: TaskErrorSchema.nullable(),
  fetchedAt: z.string().nullable(),
});
export type PromptRecord = z.infer<typeof PromptRecordSchema>;

export type Submission = Pick<
  PromptRecord,
  | 'workflowId'
  | 'idempotencyKey'
  | 'taskType'
  | 'prompt'
  | 'country'
  | 'batchId'
  | 'priority'
  | 'monitorId'
  | 'runId'
  | 'labels'
  | 'submittedAt'
>;
export type Outcome = Pick<PromptRecord, 'credits' | 'result' | 'error' | 'fetchedAt'> & {
  taskId: string;
  status: 'COMPLETED' | 'FAILED';
};

/** Where answers go: the database (db-store.ts), embedded PGlite or PostgreSQL. */
export interface ResultStore {
  /** Idempotent per workflow id: a retry or a resubmission starts the record afresh. */
  saveSubmission(submission: Submission): Promise<void>;
  /** Completes the record and returns a reference for the workflow's summary. */
  saveOutcome(workflowId: string, outcome: Outcome): Promise<string>;
  get(ref: string): Promise<PromptRecord | undefined>;
}

/**
 * A large batch's items, written once by the client edge and read a page at a time by the
 * batch workflow's activity; `offset` is an ordinal (the workflow treats it as opaque).
 */
export interface PromptSetStore {
  /** Replaces any set of that name whole. */
  writePromptSet(name: string, items: readonly BatchItem[]): Promise<void>;
  readPromptSetPage(name: string, offset: number, limit: number): Promise<PromptSetPage>;
}
