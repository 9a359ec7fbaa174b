import { createHmac } from 'node:crypto';
import {
  DEFAULT_TOLERANCE_SECONDS,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  WebhookSignatureError,
  signWebhook,
  verifyWebhookSignature,
} from '../../src/cloro/webhook-signature';

const SECRET = 'whsec_test_0123456789abcdef';
const NOW = 1_767_225_600; // 2026-01-01T00:00:00Z
const BODY = JSON.stringify({
  task: { id: 'b27a21e1-7c39-4aa2-a347-23e828c426f9', taskType: 'CHATGPT', status: 'COMPLETED', createdAt: '2025-11-10T15:00:00.000Z' },
  credits: { creditsToCharge: 5, creditsCharged: 5 },
  response: { text: 'Sunny.' },
});

function verifyError(fn: () => void): WebhookSignatureError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(WebhookSignatureError);
    return err as WebhookSignatureError;
  }
  throw new Error('expected verification to fail');
}

describe('webhook signatures', () => {
  it('verifies what signWebhook produced, from a string or the raw bytes', () => {
    const headers = signWebhook(BODY, SECRET, NOW);
    expect(() => verifyWebhookSignature(BODY, headers, SECRET, { nowSeconds: NOW })).not.toThrow();
    expect(() => verifyWebhookSignature(Buffer.from(BODY), headers, SECRET, { nowSeconds: NOW })).not.toThrow();
  });

  it('signs exactly HMAC-SHA256 of "<timestamp>.<raw body>" as v1=<hex>', () => {
    const headers = signWebhook(BODY, SECRET, NOW);
    const expected = createHmac('sha256', SECRET).update(`${NOW}.${BODY}`).digest('hex');
    expect(headers).toEqual({ [TIMESTAMP_HEADER]: String(NOW), [SIGNATURE_HEADER]: `v1=${expected}` });
  });

  it('accepts fetch Headers and node-style header records with any capitalisation', () => {
    const signed = signWebhook(BODY, SECRET, NOW);
    expect(() => verifyWebhookSignature(BODY, new Headers(signed), SECRET, { nowSeconds: NOW })).not.toThrow();
    const capitalised = { 'X-Cloro-Timestamp': signed[TIMESTAMP_HEADER], 'X-Cloro-Signature': signed[SIGNATURE_HEADER] };
    expect(() => verifyWebhookSignature(BODY, capitalised, SECRET, { nowSeconds: NOW })).not.toThrow();
    const repeated = { [TIMESTAMP_HEADER]: [signed[TIMESTAMP_HEADER]!], [SIGNATURE_HEADER]: [signed[SIGNATURE_HEADER]!] };
    expect(() => verifyWebhookSignature(BODY, repeated, SECRET, { nowSeconds: NOW })).not.toThrow();
  });

  it('rejects a signature made with another secret, pointing at the secret', () => {
    const headers = signWebhook(BODY, 'whsec_someone_else', NOW);
    const err = verifyError(() => verifyWebhookSignature(BODY, headers, SECRET, { nowSeconds: NOW }));
    expect(err.message).toMatch(/does not match.*secret/);
  });

  it('rejects a tampered body', () => {
    const headers = signWebhook(BODY, SECRET, NOW);
    const tampered = BODY.replace('COMPLETED', 'FAILED');
    const err = verifyError(() => verifyWebhookSignature(tampered, headers, SECRET, { nowSeconds: NOW }));
    expect(err.message).toContain('does not match');
  });

  it('rejects a body that was parsed and re-serialised, hinting at raw-body verification', () => {
    const pretty = JSON.stringify(JSON.parse(BODY), null, 2);
    const err = verifyError(() => verifyWebhookSignature(pretty, signWebhook(BODY, SECRET, NOW), SECRET, { nowSeconds: NOW }));
    expect(err.message).toContain('raw body');
  });

  it('rejects a parsed object instead of the raw bytes, saying so', () => {
    const headers = signWebhook(BODY, SECRET, NOW);
    const parsed = JSON.parse(BODY) as unknown as string;
    const err = verifyError(() => verifyWebhookSignature(parsed, headers, SECRET, { nowSeconds: NOW }));
    expect(err.message).toContain('not a parsed object');
  });

  it('rejects a timestamp older than the tolerance on the injected clock, naming the offset', () => {
    const headers = signWebhook(BODY, SECRET, NOW - DEFAULT_TOLERANCE_SECONDS - 1);
    const err = verifyError(() => verifyWebhookSignature(BODY, headers, SECRET, { nowSeconds: NOW }));
    expect(err.message).toContain('outside the 300s tolerance');
    expect(err.message).toContain('301s off');
  });

  it('accepts a timestamp exactly at the tolerance edge, and honours a custom tolerance', () => {
    const edge = signWebhook(BODY, SECRET, NOW - DEFAULT_TOLERANCE_SECONDS);
    expect(() => verifyWebhookSignature(BODY, edge, SECRET, { nowSeconds: NOW })).not.toThrow();
    const minuteOld = signWebhook(BODY, SECRET, NOW - 60);
    verifyError(() => verifyWebhookSignature(BODY, minuteOld, SECRET, { nowSeconds: NOW, toleranceSeconds: 30 }));
  });

  it('rejects a timestamp from the future beyond the tolerance (a wrong clock)', () => {
    const headers = signWebhook(BODY, SECRET, NOW + 600);
    const err = verifyError(() => verifyWebhookSignature(BODY, headers, SECRET, { nowSeconds: NOW }));
    expect(err.message).toContain('wrong clock');
  });

  it('names the missing header', () => {
    const signed = signWebhook(BODY, SECRET, NOW);
    const noSig = verifyError(() =>
      verifyWebhookSignature(BODY, { [TIMESTAMP_HEADER]: signed[TIMESTAMP_HEADER] }, SECRET, { nowSeconds: NOW }),
    );
    expect(noSig.message).toBe('Missing X-Cloro-Signature header');
    const noTs = verifyError(() =>
      verifyWebhookSignature(BODY, { [SIGNATURE_HEADER]: signed[SIGNATURE_HEADER] }, SECRET, { nowSeconds: NOW }),
    );
    expect(noTs.message).toBe('Missing X-Cloro-Timestamp header');
  });

  it('rejects a timestamp that is not unix seconds and a signature with neither a v1= nor a bare hex entry', () => {
    const signed = signWebhook(BODY, SECRET, NOW);
    const iso = { ...signed, [TIMESTAMP_HEADER]: '2026-01-01T00:00:00Z' };
    expect(verifyError(() => verifyWebhookSignature(BODY, iso, SECRET, { nowSeconds: NOW })).message).toContain('unix time');
    const v0 = { ...signed, [SIGNATURE_HEADER]: signed[SIGNATURE_HEADER]!.replace('v1=', 'v0=') };
    expect(verifyError(() => verifyWebhookSignature(BODY, v0, SECRET, { nowSeconds: NOW })).message).toContain(
      'no v1= (or bare hex) entry',
    );
  });

  it('accepts any matching entry among several v1= signatures (secret rotation)', () => {
    const signed = signWebhook(BODY, SECRET, NOW);
    const old = signWebhook(BODY, 'whsec_old_secret', NOW)[SIGNATURE_HEADER];
    const both = { ...signed, [SIGNATURE_HEADER]: `${old}, ${signed[SIGNATURE_HEADER]}` };
    expect(() => verifyWebhookSignature(BODY, both, SECRET, { nowSeconds: NOW })).not.toThrow();
    const onlyOld = { ...signed, [SIGNATURE_HEADER]: `${old},v1=zz` };
    verifyError(() => verifyWebhookSignature(BODY, onlyOld, SECRET, { nowSeconds: NOW }));
  });

  it('accepts a signature without the v1= prefix and a fractional timestamp (same HMAC, same tolerance)', () => {
    const hex = (timestamp: string) => createHmac('sha256', SECRET).update(`${timestamp}.${BODY}`).digest('hex');
    const bare = { [TIMESTAMP_HEADER]: String(NOW), [SIGNATURE_HEADER]: hex(String(NOW)) };
    expect(() => verifyWebhookSignature(BODY, bare, SECRET, { nowSeconds: NOW })).not.toThrow();
    const fractional = `${NOW}.123`;
    const signed = { [TIMESTAMP_HEADER]: fractional, [SIGNATURE_HEADER]: `v1=${hex(fractional)}` };
    expect(() => verifyWebhookSignature(BODY, signed, SECRET, { nowSeconds: NOW })).not.toThrow();
    const stale = `${NOW - DEFAULT_TOLERANCE_SECONDS - 1}.5`;
    const old = { [TIMESTAMP_HEADER]: stale, [SIGNATURE_HEADER]: hex(stale) };
    expect(verifyError(() => verifyWebhookSignature(BODY, old, SECRET, { nowSeconds: NOW })).message).toMatch(/tolerance/);
  });
});
