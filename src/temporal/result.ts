import { setTimeout as sleep } from 'node:timers/promises';
import { type Client, isGrpcServiceError, ServiceError, type WorkflowHandle } from '@temporalio/client';

/** gRPC codes a loaded or restarting server answers the result long poll with; the workflow itself is fine. */
const TRANSIENT_CODES = new Set([
  4, // DEADLINE_EXCEEDED
  14, // UNAVAILABLE
]);

const RETRY_DELAY_MS = 1_000;

/**
 * A workflow's result, waited for across transient server errors. `handle.result()` is a
 * long poll on the workflow's history; a server that stalls for a few seconds (a 100,000-prompt
 * batch on a dev server did) fails that poll, not the workflow, so a batch watch or a
 * benchmark must not end there. Workflow failures and every other error pass through.
 */
export async function waitForResult<T>(handle: { result(): Promise<T> }): Promise<T> {
  for (;;) {
    try {
      return await handle.result();
    } catch (err) {
      if (!isTransient(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
    }
  }
}

function isTransient(err: unknown): boolean {
  const grpc = err instanceof ServiceError ? err.cause : err;
  return isGrpcServiceError(grpc) && TRANSIENT_CODES.has(grpc.code);
}

const STATUS_INTERVAL_MS = 250;
/** Bounds each call of pollForResult, so none is still in flight once it settles. */
const CALL_DEADLINE_MS = 5_000;

/**
 * A workflow's result once it closed; undefined when `signal` aborted first. Short describe
 * calls rather than waitForResult's long poll: once this settles none of its calls is still
 * in flight (the caller may close the client right away, as the demo does), and an abort
 * takes effect within one interval. Errors, transient ones included, pass through.
 */
export async function pollForResult<T>(
  client: Client,
  handle: WorkflowHandle & { result(): Promise<T> },
  signal: AbortSignal,
): Promise<T | undefined> {
  for (;;) {
    if (signal.aborted) return undefined;
    const { status } = await client.withDeadline(Date.now() + CALL_DEADLINE_MS, () => handle.describe());
    // Closed: the result is in history already, so this answers at once.
    if (status.name !== 'RUNNING') return client.withDeadline(Date.now() + CALL_DEADLINE_MS, () => handle.result());
    await sleep(STATUS_INTERVAL_MS, undefined, { signal }).catch(() => undefined);
  }
}
