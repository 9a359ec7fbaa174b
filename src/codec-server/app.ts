/**
 * The codec server as a Fastify app (not listening; `server.ts` listens, tests `inject()`):
 * Temporal's remote codec protocol, which the Web UI and `temporal --codec-endpoint` speak —
 * `POST /decode` and `POST /encode`, body and answer `{ payloads: [{ metadata, data }] }` with
 * base64 values, the namespace in `X-Namespace`. The browser calls it cross-origin, so the
 * Web UI's origin is allowed by CORS (preflights answered without auth: browsers send none).
 * A bearer token, when set, is compared in constant time. Logs carry neither payloads nor
 * the token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { PayloadDecryptionError } from '../codec/encryption-codec';
import { formatZodError } from '../config';

export interface CodecServerDeps {
  codec: PayloadCodec;
  /** Required as `Authorization: Bearer <token>` on /encode and /decode; unset → no auth (loopback only, see server.ts). */
  token?: string | undefined;
  /** Web UI origins the browser may call from, e.g. http://localhost:8233. */
  corsOrigins: readonly string[];
  /** Namespaces whose payloads it serves (`X-Namespace`); unset → any. */
  namespaces?: readonly string[] | undefined;
  logger?: FastifyBaseLogger;
}

/** A history's payloads can add up; the Web UI sends one event's (or one page's) at a time. */
const BODY_LIMIT_BYTES = 16 * 1024 * 1024;

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
/** Proto JSON of a Payload: metadata values and data are base64; either may be absent. */
const JsonPayload = z.object({
  metadata: z.record(z.string(), base64).nullish(),
  data: base64.nullish(),
});
const CodecBody = z.object({ payloads: z.array(JsonPayload) });
type JsonPayload = z.infer<typeof JsonPayload>;

function fromJson({ metadata, data }: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(data ?? '', 'base64'),
  };
}

function toJson({ metadata, data }: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')])),
    data: Buffer.from(data ?? []).toString('base64'),
  };
}

/** Digests have one length, so timingSafeEqual never sees a length difference to leak. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

export function buildCodecServer(deps: CodecServerDeps): FastifyInstance {
  const { codec, token, corsOrigins, namespaces, logger } = deps;
  const origins = new Set(corsOrigins);
  const expected = token === undefined ? undefined : digest(`Bearer ${token}`);
  const app = Fastify({
    bodyLimit: BODY_LIMIT_BYTES,
    logController: new LogController({ disableRequestLogging: true }),
    ...(logger ? { loggerInstance: logger } : {}),
  });

  app.setErrorHandler((err: Error & { statusCode?: number }, request, reply) => {
    const statusCode = err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (statusCode === 500) {
      request.log.error({ route: request.routeOptions.url, reason: err.message }, 'codec request failed');
      return reply.code(500).send({ error: 'internal error' });
    }
    return reply.code(statusCode).send({ error: err.message });
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'not found' }));

  // CORS on every answer (errors included, so the UI can read why), for allowed origins only.
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (origin === undefined) return;
    void reply.header('Vary', 'Origin');
    if (!origins.has(origin)) return;
    void reply.header('Access-Control-Allow-Origin', origin);
    // The UI's "include credentials" setting sends cookies; harmless when it does not.
    void reply.header('Access-Control-Allow-Credentials', 'true');
  });

  app.options('/*', async (_request, reply) => {
    if (!reply.hasHeader('Access-Control-Allow-Origin')) return reply.code(403).send({ error: 'origin not allowed' });
    return reply
      .code(204)
      .header('Access-Control-Allow-Methods', 'POST, OPTIONS')
      .header('Access-Control-Allow-Headers', 'Content-Type, X-Namespace, Authorization')
      .header('Access-Control-Max-Age', '600')
      .send();
  });

  const authorize = async (request: FastifyRequest, reply: FastifyReply) => {
    if (expected !== undefined) {
      const given = request.headers.authorization;
      if (given === undefined || !timingSafeEqual(digest(given), expected)) {
        return reply.code(401).header('WWW-Authenticate', 'Bearer').send({ error: 'missing or wrong bearer token' });
      }
    }
    const namespace = request.headers['x-namespace'];
    if (namespaces !== undefined && (typeof namespace !== 'string' || !namespaces.includes(namespace))) {
      return reply.code(403).send({ error: `namespace ${String(namespace ?? '(none: send X-Namespace)')} is not served here` });
    }
    return undefined;
  };

  for (const [route, run] of [
    ['/encode', (payloads: Payload[]) => codec.encode(payloads)],
    ['/decode', (payloads: Payload[]) => codec.decode(payloads)],
  ] as const) {
    app.post(route, { preHandler: authorize }, async (request, reply) => {
      const body = CodecBody.safeParse(request.body);
      if (!body.success) return reply.code(400).send({ error: formatZodError(body.error) });
      try {
        const payloads = await run(body.data.payloads.map(fromJson));
        return { payloads: payloads.map(toJson) };
      } catch (err) {
        // Unknown key id, altered data: the message names the key id only, and the UI shows it.
        if (err instanceof PayloadDecryptionError) return reply.code(422).send({ error: err.message });
        throw err;
      }
    });
  }

  return app;
}
