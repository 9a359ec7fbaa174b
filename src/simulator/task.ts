/**
 * A task as the simulator holds it, and the documents cloro answers about it. The wire
 * shapes are the ones in src/cloro/schemas.ts; the builders are typed against them.
 */
import type { z } from 'zod';
import type {
  CreateTaskRequest,
  CreateTaskResponseSchema,
  CreditsSchema,
  TaskDocumentSchema,
  TaskError,
  TaskResult,
  TaskStatus,
  TaskSummarySchema,
  TaskType,
} from '../cloro/schemas';

export interface SimTask {
  readonly id: string;
  readonly request: CreateTaskRequest;
  readonly taskType: TaskType;
  readonly priority: number;
  readonly idempotencyKey: string | null;
  /** cloro time, epoch ms. */
  readonly createdAt: number;
  readonly creditsToCharge: number;
  /** Where the client reached the simulator: html result links point back there. */
  readonly baseUrl: string;
  status: TaskStatus;
  startedAt: number | null;
  finishedAt: number | null;
  /** null until the task is terminal, as cloro reports it. */
  creditsCharged: number | null;
  result: TaskResult | null;
  error: TaskError | null;
  webhook: { url: string; delivered: boolean; deliveredAt: number | null } | null;
}

type TaskSummaryWire = z.input<typeof TaskSummarySchema>;
type CreditsWire = z.input<typeof CreditsSchema>;
export type CreateTaskResponseWire = z.input<typeof CreateTaskResponseSchema>;
export type TaskDocumentWire = z.input<typeof TaskDocumentSchema>;

/** Renders a cloro-time instant as the ISO wall-clock time a caller sees (see clock.ts). */
export type IsoTime = (cloroMs: number) => string;

function summary(task: SimTask, iso: IsoTime): TaskSummaryWire {
  return {
    id: task.id,
    taskType: task.taskType,
    status: task.status,
    priority: task.priority,
    createdAt: iso(task.createdAt),
    idempotencyKey: task.idempotencyKey,
  };
}

function credits(task: SimTask): CreditsWire {
  return { creditsToCharge: task.creditsToCharge, creditsCharged: task.creditsCharged };
}

/** The create answer: always QUEUED, whatever the scheduler did since. */
export function createResponse(task: SimTask, iso: IsoTime): CreateTaskResponseWire & { task: TaskSummaryWire; credits: CreditsWire } {
  return {
    success: true,
    task: { ...summary(task, iso), status: 'QUEUED' },
    credits: { creditsToCharge: task.creditsToCharge, creditsCharged: null },
  };
}

/** `GET /v1/async/task/{id}`, and the webhook body (cloro sends the same document). */
export function taskDocument(task: SimTask, iso: IsoTime): TaskDocumentWire {
  const latencyMs = task.finishedAt === null ? null : Math.round(task.finishedAt - task.createdAt);
  const doc: TaskDocumentWire = {
    success: true,
    task: { ...summary(task, iso), latencyMs },
    credits: credits(task),
  };
  if (task.status === 'COMPLETED' && task.result) doc.response = task.result;
  if (task.status === 'FAILED' && task.error) doc.response = { error: task.error };
  if (task.webhook) {
    const { url, delivered, deliveredAt } = task.webhook;
    doc.webhook = { url, delivered, deliveredAt: deliveredAt === null ? null : iso(deliveredAt) };
  }
  return doc;
}
