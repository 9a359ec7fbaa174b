import { ensureNamespace, retryWhileNamespaceUnknown } from '../../src/temporal/namespace';

const grpcError = (code: number): Error => Object.assign(new Error(`grpc ${code}`), { code });

function fakeService(options: { exists: boolean; registerFails?: Error }) {
  const registered: unknown[] = [];
  const workflowService = {
    describeNamespace: async () => {
      if (!options.exists) throw grpcError(5);
      return {};
    },
    registerNamespace: async (request: unknown) => {
      if (options.registerFails) throw options.registerFails;
      registered.push(request);
      return {};
    },
  };
  return { connection: { workflowService } as never, registered };
}

describe('ensureNamespace', () => {
  it('creates a missing namespace with the retention asked for', async () => {
    const { connection, registered } = fakeService({ exists: false });
    await expect(ensureNamespace(connection, 'prod', 7)).resolves.toBe('created');
    expect(registered).toEqual([expect.objectContaining({ namespace: 'prod', workflowExecutionRetentionPeriod: expect.anything() })]);
  });

  it('leaves an existing namespace alone', async () => {
    const { connection, registered } = fakeService({ exists: true });
    await expect(ensureNamespace(connection, 'prod', 7)).resolves.toBe('existed');
    expect(registered).toEqual([]);
  });

  it('counts a namespace another job created meanwhile as existing', async () => {
    const { connection } = fakeService({ exists: false, registerFails: grpcError(6) });
    await expect(ensureNamespace(connection, 'prod', 7)).resolves.toBe('existed');
  });

  it('passes other failures on', async () => {
    const { connection } = fakeService({ exists: false, registerFails: grpcError(7) });
    await expect(ensureNamespace(connection, 'prod', 7)).rejects.toThrow('grpc 7');
  });
});

describe('retryWhileNamespaceUnknown', () => {
  it('retries NOT_FOUND until the namespace is known', async () => {
    let calls = 0;
    const result = await retryWhileNamespaceUnknown(
      async () => {
        calls += 1;
        if (calls < 3) throw grpcError(5);
        return 'done';
      },
      1_000,
      1,
    );
    expect(result).toBe('done');
    expect(calls).toBe(3);
  });

  it('gives up at the deadline and never retries other errors', async () => {
    await expect(retryWhileNamespaceUnknown(async () => Promise.reject(grpcError(5)), 20, 5)).rejects.toThrow('grpc 5');
    let calls = 0;
    await expect(
      retryWhileNamespaceUnknown(
        async () => {
          calls += 1;
          throw grpcError(14);
        },
        1_000,
        1,
      ),
    ).rejects.toThrow('grpc 14');
    expect(calls).toBe(1);
  });
});
