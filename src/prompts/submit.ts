/**
 * One prompt from application code in one call: validate the request, derive its key the way
 * the CLI's `submit` does, start (or find) its workflow.
 */
import type { Client } from '@temporalio/client';
import { type KeyScope, type PromptRequest, toWorkflowInput } from './request';
import { type StartedPrompt, startPrompt } from './start';

/** Options of {@link submitPrompt}. */
export interface SubmitPromptOptions {
  /** Queue of the worker running cloro's workflows; default `cloro`. */
  taskQueue?: string;
  /**
   * Scope of the derived key when the request has no `idempotencyKey`; default the CLI's:
   * `submit` and today's UTC date, so the same prompt asked twice on one day runs once.
   */
  scope?: KeyScope;
}

/**
 * Validates `request` (a zod error names the field), derives its idempotency key unless it
 * has one, and starts its prompt workflow, or returns the running or finished one with that key.
 */
export async function submitPrompt(client: Client, request: PromptRequest, options: SubmitPromptOptions = {}): Promise<StartedPrompt> {
  const scope = options.scope ?? { scope: 'submit', runAt: new Date().toISOString().slice(0, 10) };
  return startPrompt(client, toWorkflowInput(request, scope), options.taskQueue ?? 'cloro');
}
