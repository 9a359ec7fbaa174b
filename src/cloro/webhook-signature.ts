/**
 * cloro's optional webhook signing, in one pure module: the simulator signs with it, the
 * bridge verifies with it, so the two can never drift apart.
 *
 *   X-Cloro-Timestamp: <unix seconds>
 *   X-Cloro-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>" keyed by "whsec_…">
 *
 * Verification also accepts the signature without `v1=` and a fractional timestamp.
 *
 * Verification works on the raw bytes: a body that was parsed and re-serialised no longer
 * matches, which is the most common integration mistake, so the errors say so.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-cloro-signature';
export const TIMESTAMP_HEADER = 'x-cloro-timestamp';
export const WEBHOOK_ID_HEADER = 'x-cloro-webhook-id';
export const DEFAULT_TOLERANCE_SECONDS = 300;

export type HeaderBag = Record<string, string | string[] | undefined> | Headers;

export class WebhookSignatureError extends Error {
  override name = 'WebhookSignatureError';
}

function hmacHex(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/** Headers cloro would send with this body. `nowSeconds` is injectable for tests and the simulator's clock. */
export function signWebhook(
  rawBody: Buffer | string,
  secret: string,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const timestamp = String(nowSeconds);
  return { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: `v1=${hmacHex(secret, timestamp, rawBody)}` };
}

/**
 * Header names are case-insensitive: Node lower-cases them, but records built elsewhere
 * (serverless events, hand-made test fixtures) keep `X-Cloro-Signature` as sent.
 * `get` is duck-typed so a Headers from another fetch implementation works too.
 */
export function header(headers: HeaderBag, name: string): string | undefined {
  if (typeof headers.get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value[0] : value;
}

export interface VerifyOptions {
  toleranceSeconds?: number;
  nowSeconds?: number;
}

/**
 * Throws `WebhookSignatureError` with a diagnosis unless the body was signed with `secret`
 * within the tolerance window. Several `v1=` entries (key rotation) are accepted.
 */
export function verifyWebhookSignature(rawBody: Buffer | string, headers: HeaderBag, secret: string, options: VerifyOptions = {}): void {
  if (typeof rawBody !== 'string' && !Buffer.isBuffer(rawBody)) {
    throw new WebhookSignatureError('Webhook body must be the raw request bytes (Buffer or string), not a parsed object');
  }
  const timestamp = header(headers, TIMESTAMP_HEADER);
  const signature = header(headers, SIGNATURE_HEADER);
  if (!timestamp || !signature) {
    throw new WebhookSignatureError(`Missing ${!timestamp ? 'X-Cloro-Timestamp' : 'X-Cloro-Signature'} header`);
  }
  // Fractional seconds are accepted (some senders add milliseconds); the HMAC covers the header as sent.
  const ts = Number(timestamp);
  if (timestamp.trim() === '' || !Number.isFinite(ts)) throw new WebhookSignatureError('X-Cloro-Timestamp is not a unix time in seconds');

  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - ts) > tolerance) {
    throw new WebhookSignatureError(
      `Timestamp outside the ${tolerance}s tolerance (${now - ts}s off): a replayed webhook or a wrong clock`,
    );
  }

  // `v1=<hex>` entries, or a bare `<hex>` (accepted by cloro's sample receiver too).
  const candidates = signature
    .split(',')
    .map((part) => part.trim())
    .map((part) => (part.startsWith('v1=') ? part.slice(3) : part))
    .filter((hex) => /^[0-9a-f]+$/i.test(hex))
    .map((hex) => Buffer.from(hex, 'hex'));
  if (candidates.length === 0) throw new WebhookSignatureError('X-Cloro-Signature has no v1= (or bare hex) entry');

  const expected = Buffer.from(hmacHex(secret, timestamp, rawBody), 'hex');
  const ok = candidates.some((c) => c.length === expected.length && timingSafeEqual(c, expected));
  if (!ok) {
    throw new WebhookSignatureError(
      'Signature does not match: check the whsec_ secret and that the raw body was verified before any JSON parsing',
    );
  }
}
