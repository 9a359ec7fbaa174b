import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';
import { createCloroPayloadCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA, PayloadDecryptionError } from '../../../src/codec/encryption-codec';

const key = (id: string) => ({ id, key: randomBytes(32) });
const PROMPT = 'Which CRM should a startup pick: HubSpot, Salesforce or Pipedrive?';
const plain = (): Payload => defaultPayloadConverter.toPayload({ prompt: PROMPT })!;
const text = (p: Payload) => Buffer.from(p.data ?? []).toString('latin1');
const meta = (p: Payload, name: string) => Buffer.from(p.metadata?.[name] ?? []).toString();

describe('createCloroPayloadCodec', () => {
  it('round-trips a payload, metadata included, and stores only ciphertext with the key id', async () => {
    const codec = createCloroPayloadCodec([key('k1')]);
    const [encrypted] = await codec.encode([plain()]);
    expect(meta(encrypted!, METADATA_ENCODING_KEY)).toBe(ENCRYPTED_ENCODING);
    expect(meta(encrypted!, KEY_ID_METADATA)).toBe('k1');
    expect(text(encrypted!)).not.toContain('HubSpot');
    expect(text(encrypted!)).not.toContain('json/plain');
    const [decoded] = await codec.decode([encrypted!]);
    expect(meta(decoded!, METADATA_ENCODING_KEY)).toBe('json/plain');
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual({ prompt: PROMPT });
  });

  it('encrypts the same payload differently every time (a fresh IV per payload)', async () => {
    const codec = createCloroPayloadCodec([key('k1')]);
    const [a, b] = await codec.encode([plain(), plain()]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('after a rotation, encrypts with the new key and still decrypts what the old one encrypted', async () => {
    const old = key('2025-01');
    const fresh = key('2026-06');
    const [before] = await createCloroPayloadCodec([old]).encode([plain()]);
    const rotated = createCloroPayloadCodec([fresh, old]);
    const [after] = await rotated.encode([plain()]);
    expect(meta(after!, KEY_ID_METADATA)).toBe('2026-06');
    const decoded = await rotated.decode([before!, after!]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([{ prompt: PROMPT }, { prompt: PROMPT }]);
  });

  it('passes payloads that were never encrypted through decode, so older histories stay readable', async () => {
    const codec = createCloroPayloadCodec([key('k1')]);
    const [decoded] = await codec.decode([plain()]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual({ prompt: PROMPT });
  });

  it('refuses a payload whose ciphertext was altered, naming the key id', async () => {
    const codec = createCloroPayloadCodec([key('k1')]);
    const [encrypted] = await codec.encode([plain()]);
    const data = Buffer.from(encrypted!.data!);
    data[20]! ^= 0x01;
    const err = await codec.decode([{ ...encrypted!, data }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PayloadDecryptionError);
    expect((err as Error).message).toMatch(/key "k1"\) failed authentication: it was altered/);
  });

  it('refuses a payload decrypted with a different key under the same id', async () => {
    const [encrypted] = await createCloroPayloadCodec([key('k1')]).encode([plain()]);
    await expect(createCloroPayloadCodec([key('k1')]).decode([encrypted!])).rejects.toThrow(/failed authentication/);
  });

  it('refuses a payload encrypted with a key it does not have, naming that id and the ones it has', async () => {
    const [encrypted] = await createCloroPayloadCodec([key('retired')]).encode([plain()]);
    const codec = createCloroPayloadCodec([key('k2'), key('k3')]);
    await expect(codec.decode([encrypted!])).rejects.toThrow(
      'payload was encrypted with key "retired", which is not among the configured keys (k2, k3): add it back to decrypt',
    );
  });

  it('refuses truncated data and a missing key id', async () => {
    const codec = createCloroPayloadCodec([key('k1')]);
    const [encrypted] = await codec.encode([plain()]);
    await expect(codec.decode([{ ...encrypted!, data: encrypted!.data!.subarray(0, 20) }])).rejects.toThrow(/truncated/);
    const { [KEY_ID_METADATA]: _dropped, ...noId } = encrypted!.metadata!;
    await expect(codec.decode([{ ...encrypted!, metadata: noId }])).rejects.toThrow(/no encryption-key-id metadata/);
  });

  it('refuses no keys, a key of the wrong length and a duplicate id', () => {
    expect(() => createCloroPayloadCodec([])).toThrow(/at least one key/);
    expect(() => createCloroPayloadCodec([{ id: 'short', key: randomBytes(16) }])).toThrow(/"short" must be 32 bytes for AES-256, got 16/);
    expect(() => createCloroPayloadCodec([key('a'), key('a')])).toThrow(/duplicate key id "a"/);
  });
});
