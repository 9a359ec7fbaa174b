import { ServiceError, WorkflowFailedError } from '@temporalio/client';
import { waitForResult } from '../../src/temporal/result';

/** A gRPC error as the client wraps it: ServiceError with the status code on its cause. */
function grpcError(code: number): ServiceError {
  const cause = Object.assign(new Error('context deadline exceeded'), { code, details: 'context deadline exceeded', metadata: {} });
  return new ServiceError('Failed to get Workflow execution history', { cause });
}

function handleThatFails(...errors: Error[]) {
  let calls = 0;
  return {
    calls: () => calls,
    result: () => {
      calls++;
      const err = errors.shift();
      return err ? Promise.reject(err) : Promise.resolve('done');
    },
  };
}

describe('waitForResult', () => {
  it('waits on across a stalled server (DEADLINE_EXCEEDED, UNAVAILABLE)', async () => {
    const handle = handleThatFails(grpcError(4), grpcError(14));
    await expect(waitForResult(handle)).resolves.toBe('done');
    expect(handle.calls()).toBe(3);
  });

  it('passes a workflow failure and any other server error through at once', async () => {
    const failed = new WorkflowFailedError('workflow failed', undefined, 'NON_RETRYABLE_FAILURE');
    await expect(waitForResult(handleThatFails(failed))).rejects.toBe(failed);
    const notFound = grpcError(5);
    const handle = handleThatFails(notFound);
    await expect(waitForResult(handle)).rejects.toBe(notFound);
    expect(handle.calls()).toBe(1);
  });
});
