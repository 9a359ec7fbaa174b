/** Summaries a prompt workflow returns (and reports to its batch) when it never got a cloro outcome. */
import type { PromptSummary } from './definitions';

/** The summary of a prompt that ended without a cloro outcome (its workflow failed). */
export function failedPromptSummary(idempotencyKey: string, error: { code: string; message: string }): PromptSummary {
  return {
    idempotencyKey,
    taskId: null,
    status: 'FAILED',
    creditsCharged: 0,
    model: null,
    textLength: 0,
    sourcesCount: 0,
    attempts: 0,
    orphaned: 0,
    resultRef: null,
    error,
  };
}
