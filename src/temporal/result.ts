import { isGrpcServiceError, ServiceError } from '@temporalio/client';

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
