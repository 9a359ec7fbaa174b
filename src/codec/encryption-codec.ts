/**
 * AES-256-GCM payload codec: every payload (inputs, results, signals, queries, memo, user
 * metadata) leaves the process encrypted, so Temporal stores and shows ciphertext. The
 * layout follows Temporal's encryption sample: metadata `encoding: binary/encrypted` and
 * `encryption-key-id: <id>`; data = 12-byte IV ‖ ciphertext ‖ 16-byte tag of the whole
 * original payload (metadata included), length-delimited protobuf. Codecs run outside the
 * workflow sandbox, so workflow code is unchanged; decode passes unencrypted payloads
 * through, so histories written before encryption was turned on stay readable.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec, ValueError } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { PAYLOAD_KEY_BYTES, type PayloadKey } from './payload-keys';

/** The `encoding` of an encrypted payload. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** The metadata entry naming the key a payload was encrypted with. */
export const KEY_ID_METADATA = 'encryption-key-id';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A payload that cannot be decrypted: unknown key id, tampered or truncated data. Names the key id, never the key. */
export class PayloadDecryptionError extends ValueError {
  override name = 'PayloadDecryptionError';
}

/**
 * A payload codec encrypting with AES-256-GCM: `keys[0]` encrypts, every key decrypts (rotate by adding a key in front).
 *
 * Each payload names its key id, so old histories stay readable while their key is listed.
 * Add it to the `dataConverter.payloadCodecs` of every client and worker of the namespace
 * (last: encoding runs the list in order, and ciphertext does not compress), and run the
 * codec server with the same keys for the Web UI.
 *
 * @param keys - `{ id, key }` with 32-byte keys and unique ids, the current key first.
 */
export function createCloroPayloadCodec(keys: readonly PayloadKey[]): PayloadCodec {
  const [current] = keys;
  if (!current) throw new TypeError('createCloroPayloadCodec needs at least one key');
  const byId = new Map<string, Buffer>();
  for (const { id, key } of keys) {
    if (byId.has(id)) throw new TypeError(`createCloroPayloadCodec: duplicate key id "${id}"`);
    if (key.length !== PAYLOAD_KEY_BYTES) {
      throw new TypeError(`createCloroPayloadCodec: key "${id}" must be ${PAYLOAD_KEY_BYTES} bytes for AES-256, got ${key.length}`);
    }
    // A private copy: a caller clearing or reusing its buffer must not change our keys.
    byId.set(id, Buffer.from(key));
  }
  const currentKey = byId.get(current.id)!;
  const currentId = Buffer.from(current.id);
  return {
    async encode(payloads: Payload[]): Promise<Payload[]> {
      return payloads.map((payload) => ({
        metadata: { [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: currentId },
        data: encrypt(temporal.api.common.v1.Payload.encodeDelimited(payload).finish(), currentKey),
      }));
    },
    async decode(payloads: Payload[]): Promise<Payload[]> {
      return payloads.map((payload) => (isEncrypted(payload) ? decryptPayload(payload, byId) : payload));
    },
  };
}

function isEncrypted(payload: Payload): boolean {
  const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
  return encoding !== undefined && encoding !== null && Buffer.from(encoding).toString() === ENCRYPTED_ENCODING;
}

function decryptPayload(payload: Payload, keys: ReadonlyMap<string, Buffer>): Payload {
  const idBytes = payload.metadata?.[KEY_ID_METADATA];
  if (!idBytes) throw new PayloadDecryptionError(`encrypted payload has no ${KEY_ID_METADATA} metadata`);
  const id = Buffer.from(idBytes).toString();
  const key = keys.get(id);
  if (!key) {
    throw new PayloadDecryptionError(
      `payload was encrypted with key "${id}", which is not among the configured keys (${[...keys.keys()].join(', ')}): add it back to decrypt`,
    );
  }
  const data = payload.data ?? new Uint8Array();
  if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadDecryptionError(`encrypted payload (key "${id}") is truncated`);
  let plain: Buffer;
  try {
    plain = decrypt(data, key);
  } catch {
    throw new PayloadDecryptionError(
      `encrypted payload (key "${id}") failed authentication: it was altered, or key "${id}" is not the key it was encrypted with`,
    );
  }
  return temporal.api.common.v1.Payload.decodeDelimited(plain);
}

function encrypt(plain: Uint8Array, key: Buffer): Buffer {
  // A random 96-bit IV per payload: far below GCM's 2^32-messages-per-key bound for random IVs.
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  return Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

function decrypt(data: Uint8Array, key: Buffer): Buffer {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const iv = bytes.subarray(0, IV_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
}
