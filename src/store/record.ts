import { z } from 'zod';
import { CreditsSchema, TaskErrorSchema, TaskResultSchema, TaskTypeSchema } from '../cloro/schemas';

/**
 * One prompt as the results store keeps it: written when cloro accepts the task (so the
 * store also shows what is in flight) and completed with the answer or error. The prompt
 * text lives here rather than in every fetch activity's input, which keeps history small.
 */
export const PromptRecordSchema = z.object({
  workflowId: z.string(),
  idempotencyKey: z.string(),
  taskId: z.string(),
  taskType: TaskTypeSchema,
  prompt: z.string(),
  country: z.string(),
  batchId: z.string().nullable(),
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
  'workflowId' | 'idempotencyKey' | 'taskId' | 'taskType' | 'prompt' | 'country' | 'batchId' | 'labels' | 'submittedAt'
>;
export type Outcome = Pick<PromptRecord, 'taskId' | 'credits' | 'result' | 'error' | 'fetchedAt'> & {
  status: 'COMPLETED' | 'FAILED';
};

/** Where answers go: the embedded default is a directory of JSON files; production can plug in PostgreSQL. */
export interface ResultStore {
  /** Idempotent per workflow id: a retried activity overwrites the same record. */
  saveSubmission(submission: Submission): Promise<void>;
  /** Completes the record and returns a reference for the workflow's summary. */
  saveOutcome(workflowId: string, outcome: Outcome): Promise<string>;
  get(ref: string): Promise<PromptRecord | undefined>;
}
