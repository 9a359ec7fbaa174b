import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';
import { createCloroPayloadCodec } from '../../../src/codec/encryption-codec';
import { buildCodecServer, type CodecServerDeps } from '../../../src/codec-server/app';
import { CodecServerExposedError, startCodecServer } from '../../../src/codec-server/server';

const UI = 'http://localhost:8233';
const TOKEN = 'codec-token-0123456789abcdef';
const codec = createCloroPayloadCodec([{ id: 'k1', key: randomBytes(32) }]);

const toJson = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v!).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});
const plainJson = () => toJson(defaultPayloadConverter.toPayload({ prompt: 'Which CRM?' })!);

describe('codec server app', () => {
  let app: FastifyInstance;
  const build = (deps: Partial<CodecServerDeps> = {}) => {
    app = buildCodecServer({ codec, token: TOKEN, corsOrigins: [UI], ...deps });
    return app;
  };
  afterEach(() => app?.close());

  const post = (url: string, payload: unknown, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) =>
    app.inject({ method: 'POST', url, payload: payload as object, headers: { 'x-namespace': 'default', ...headers } });

  it('encodes and decodes in the remote codec protocol (JSON payloads, base64 values)', async () => {
    build();
    const encoded = await post('/encode', { payloads: [plainJson()] });
    expect(encoded.statusCode).toBe(200);
    const [payload] = encoded.json<{ payloads: Array<{ metadata: Record<string, string>; data: string }> }>().payloads;
    expect(Buffer.from(payload!.metadata.encoding!, 'base64').toString()).toBe('binary/encrypted');
    expect(Buffer.from(payload!.data, 'base64').toString('latin1')).not.toContain('Which CRM');
    const decoded = await post('/decode', { payloads: [payload] });
    expect(decoded.statusCode).toBe(200);
    expect(decoded.json()).toEqual({ payloads: [plainJson()] });
  });

  it('refuses a missing or wrong bearer token with 401, and needs none when no token is set', async () => {
    build();
    expect((await post('/decode', { payloads: [] }, {})).statusCode).toBe(401);
    const wrong = await post('/decode', { payloads: [] }, { authorization: `Bearer ${TOKEN}x` });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['www-authenticate']).toBe('Bearer');
    await app.close();
    build({ token: undefined });
    expect((await post('/decode', { payloads: [] }, {})).statusCode).toBe(200);
  });

  it('answers the Web UI preflight for its origin without auth, and not for other origins', async () => {
    build();
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/decode',
      headers: { origin: UI, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(UI);
    expect(String(preflight.headers['access-control-allow-headers'])).toMatch(/X-Namespace/);
    const actual = await post('/decode', { payloads: [] }, { authorization: `Bearer ${TOKEN}`, origin: UI });
    expect(actual.headers['access-control-allow-origin']).toBe(UI);

    const other = await app.inject({ method: 'OPTIONS', url: '/decode', headers: { origin: 'https://evil.example.com' } });
    expect(other.statusCode).toBe(403);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('serves only the namespaces it is given, read from X-Namespace', async () => {
    build({ namespaces: ['prod'] });
    expect((await post('/decode', { payloads: [] })).statusCode).toBe(403);
    expect((await post('/decode', { payloads: [] }, { authorization: `Bearer ${TOKEN}`, 'x-namespace': 'prod' })).statusCode).toBe(200);
  });

  it('answers a malformed body with 400 naming the field, and an undecryptable payload with 422 naming its key id', async () => {
    build();
    const bad = await post('/decode', { payloads: [{ data: 'not base64!' }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ error: 'payloads.0.data: must be base64' });
    const [foreign] = await createCloroPayloadCodec([{ id: 'other', key: randomBytes(32) }]).encode([
      defaultPayloadConverter.toPayload('x')!,
    ]);
    const undecryptable = await post('/decode', { payloads: [toJson(foreign!)] });
    expect(undecryptable.statusCode).toBe(422);
    expect(undecryptable.json<{ error: string }>().error).toMatch(/encrypted with key "other"/);
  });
});

describe('startCodecServer', () => {
  it('refuses to listen beyond loopback without a token unless told the port stays private', async () => {
    await expect(startCodecServer({ port: 0, host: '0.0.0.0', codec, corsOrigins: [UI] })).rejects.toThrow(CodecServerExposedError);
    const opted = await startCodecServer({ port: 0, host: '0.0.0.0', codec, corsOrigins: [UI], allowUnauthenticated: true });
    await opted.close();
  });

  it('listens on loopback by default', async () => {
    const server = await startCodecServer({ port: 0, codec, corsOrigins: [UI] });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await server.close();
    }
  });
});
