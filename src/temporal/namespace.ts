/**
 * A namespace on a self-hosted cluster: created when missing (the compose stack's server
 * starts with none), left alone when it exists (Temporal Cloud namespaces are made in the
 * Cloud UI or with tcld, never by us).
 */
import type { ConnectionLike } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';

const DAY_MS = 24 * 60 * 60 * 1000;

/** gRPC status codes the frontend answers with. */
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;

export type NamespaceOutcome = 'created' | 'existed';

export async function ensureNamespace(
  connection: Pick<ConnectionLike, 'workflowService'>,
  namespace: string,
  retentionDays: number,
): Promise<NamespaceOutcome> {
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return 'existed';
  } catch (err) {
    if (grpcCode(err) !== NOT_FOUND) throw err;
  }
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs(retentionDays * DAY_MS),
    });
    return 'created';
  } catch (err) {
    // Another setup job raced us to it: the namespace is there either way.
    if (grpcCode(err) === ALREADY_EXISTS) return 'existed';
    throw err;
  }
}

/** A namespace just registered reaches every frontend's cache within ~10 s; calls naming it fail NOT_FOUND until then. */
export async function retryWhileNamespaceUnknown<T>(call: () => Promise<T>, deadlineMs: number, pauseMs = 1_000): Promise<T> {
  const giveUpAt = Date.now() + deadlineMs;
  for (;;) {
    try {
      return await call();
    } catch (err) {
      if (grpcCode(err) !== NOT_FOUND || Date.now() + pauseMs > giveUpAt) throw err;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
}

function grpcCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}
