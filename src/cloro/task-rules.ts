/**
 * Rules of a cloro request that workflow code needs as much as the client edge does, so they
 * live in a pure module (no zod) both import: the schemas validate with them, the workflow
 * helpers (workflows/child.ts) check a caller's prompt with them.
 */
import type { TaskType } from './schemas';

/** Google-style engines take `query` where the AI engines take `prompt`. */
export const QUERY_TASK_TYPES: ReadonlySet<TaskType> = new Set(['GOOGLE', 'GOOGLE_NEWS']);

/** The payload field that carries the prompt text for an engine. */
export function promptTextField(taskType: TaskType): 'query' | 'prompt' {
  return QUERY_TASK_TYPES.has(taskType) ? 'query' : 'prompt';
}

/** Idempotency keys become workflow ids and cloro's own keys, so they keep to this. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
/** What {@link IDEMPOTENCY_KEY_PATTERN} asks, as an error message says it. */
export const IDEMPOTENCY_KEY_RULE = 'must be 1–128 characters of A–Z a–z 0–9 . _ : -';
