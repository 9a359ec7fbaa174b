import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type FailureConverter } from '@temporalio/common';
import { dataConverterOption } from '../../../src/codec/data-converter';

describe('dataConverterOption', () => {
  it("is the SDK's default without payload keys", () => {
    expect(dataConverterOption({ payloadKeys: undefined })).toEqual({});
  });

  it('with keys, encrypts payloads and moves failure messages and stack traces into an encrypted payload', async () => {
    const { dataConverter } = dataConverterOption({ payloadKeys: [{ id: 'k1', key: randomBytes(32) }] });
    const [codec] = dataConverter!.payloadCodecs!;
    // Loaded as the worker and the client load it: by path.
    const { failureConverter } = (await import(dataConverter!.failureConverterPath!)) as { failureConverter: FailureConverter };
    const failure = failureConverter.errorToFailure(
      new Error('cloro refused the prompt "Which CRM for bakeries?"'),
      defaultPayloadConverter,
    );
    expect(failure.message).toBe('Encoded failure');
    expect(failure.stackTrace).toBe('');
    const [encrypted] = await codec!.encode([failure.encodedAttributes!]);
    expect(Buffer.from(encrypted!.data!).toString('latin1')).not.toContain('Which CRM');
    const [decrypted] = await codec!.decode([encrypted!]);
    expect(defaultPayloadConverter.fromPayload<{ message: string }>(decrypted!).message).toContain('Which CRM for bakeries?');
  });
});
