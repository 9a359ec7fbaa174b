/**
 * `POST /webhooks/cloro/:workflowId/:token` as an encapsulated plugin: the raw-body parser
 * registered here applies to this route only, so the signature is always checked on the
 * exact bytes cloro signed (a parsed-and-reserialised body would never match).
 *
 * Order of checks, cheapest and most telling first:
 *   1. callback token (onRequest, before the body is even read)      → 401
 *   2. body size (the parser's limit)                                → 413
 *   3. X-Cloro-Signature on the raw bytes, when a secret is set      → 401
 *   4. JSON + TaskDocumentSchema, ids at most MAX_ID_LENGTH           → 400
 *   5. non-terminal status (an unknown one too, unless it reads as ended) → 200, nothing to wake
 *   6. signal: accepted → 200; workflow closed/unknown → 200; Temporal unreachable → 503
 *
 * Deduplication is deliberately not done here: cloro delivers at least once, the workflow
 * dedupes on task id, and a duplicate signal costs one small history event. Keeping the
 * bridge stateless means any number of replicas can run behind one URL.
 */
import type { FastifyBaseLogger, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { formatZodError } from '../config';
import { z } from 'zod';
import { isEndedStatus, TaskDocumentSchema, TaskSummarySchema } from '../cloro/schemas';
import { verifyWebhookSignature, WebhookSignatureError, WEBHOOK_ID_HEADER } from '../cloro/webhook-signature';
import { type CloroTaskFinished, MAX_ID_LENGTH } from '../../workflows/definitions';
import type { Notifier } from './notifier';
import { verifyCallbackToken } from './token';

export interface WebhookRouteOptions {
  notifier: Notifier;
  bridgeSecret: string;
  webhookSecret?: string;
  bodyLimit: number;
  /** Seconds suggested to cloro in Retry-After when Temporal is unreachable. */
  retryAfterSeconds: number;
  /** Injectable clock (unix seconds) for the signature's timestamp tolerance. */
  nowSeconds?: () => number;
}

interface Params {
  workflowId: string;
  token: string;
}

type WebhookRequest = FastifyRequest<{ Params: Params; Body: Buffer | undefined }>;

/**
 * The task document as the bridge accepts it: cloro's read schema, with the two strings it
 * passes on to the workflow bounded (a 900 KiB task id once rode a signal into history).
 */
const WebhookBodySchema = TaskDocumentSchema.extend({
  task: TaskSummarySchema.extend({
    id: z.string().min(1).max(MAX_ID_LENGTH),
    idempotencyKey: z
      .string()
      .max(MAX_ID_LENGTH)
      .nullable()
      .optional()
      .transform((v) => v ?? null),
  }),
});

/** Log fields come from the caller; clip them so a hostile header cannot flood the log. */
const clip = (value: string | undefined, max = 200): string | undefined =>
  value === undefined ? undefined : value.length > max ? `${value.slice(0, max)}…` : value;

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** What every log line of one delivery carries. Never the token, a secret or the body. */
function deliveryLog(request: WebhookRequest): FastifyBaseLogger {
  return request.log.child({
    workflowId: clip(request.params.workflowId),
    webhookId: clip(headerValue(request, WEBHOOK_ID_HEADER)),
  });
}

/**
 * "ServiceError: …; cause: …" — enough to diagnose, without dumping whole error objects
 * (gRPC errors carry metadata) into every line of an outage.
 */
function describeError(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err; e !== undefined && e !== null && parts.length < 3; e = (e as { cause?: unknown }).cause) {
    parts.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    if (!(e instanceof Error)) break;
  }
  return parts.join('; cause: ');
}

function unauthorized(reply: FastifyReply): FastifyReply {
  // No hint about which check failed: the diagnosis goes to our log, not to the caller.
  return reply.code(401).send({ error: 'unauthorized' });
}

export const webhookRoute: FastifyPluginAsync<WebhookRouteOptions> = async (app, opts) => {
  app.removeAllContentTypeParsers();
  // Any content type: cloro sends JSON, and we parse it ourselves after the signature check.
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: opts.bodyLimit }, (_req, body, done) => done(null, body));

  app.addHook<{ Params: Params }>('onRequest', async (request, reply) => {
    if (verifyCallbackToken(opts.bridgeSecret, request.params.workflowId, request.params.token)) return;
    deliveryLog(request as WebhookRequest).warn({ outcome: 'bad_token' }, 'webhook rejected: callback token does not match the workflow');
    return unauthorized(reply);
  });

  app.post<{ Params: Params; Body: Buffer | undefined }>('/:workflowId/:token', { bodyLimit: opts.bodyLimit }, async (request, reply) => {
    let log = deliveryLog(request);
    const raw = request.body ?? Buffer.alloc(0);

    if (opts.webhookSecret) {
      try {
        verifyWebhookSignature(raw, request.headers, opts.webhookSecret, { nowSeconds: opts.nowSeconds?.() });
      } catch (err) {
        if (!(err instanceof WebhookSignatureError)) throw err;
        log.warn({ outcome: 'bad_signature', reason: err.message }, 'webhook rejected: signature check failed');
        return unauthorized(reply);
      }
    }

    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      log.warn({ outcome: 'malformed', reason: 'body is not JSON' }, 'webhook rejected');
      return reply.code(400).send({ error: 'body is not valid JSON' });
    }
    const parsed = WebhookBodySchema.safeParse(json);
    if (!parsed.success) {
      const reason = formatZodError(parsed.error);
      log.warn({ outcome: 'malformed', reason }, 'webhook rejected');
      return reply.code(400).send({ error: `not a cloro task document: ${reason}` });
    }

    const { id: taskId, status, idempotencyKey } = parsed.data.task;
    log = log.child({ taskId: clip(taskId), status });
    if (!isEndedStatus(status)) {
      log.info({ outcome: 'ignored' }, 'webhook for a task that is not finished: nothing to wake');
      return reply.code(200).send({ outcome: 'ignored' });
    }

    const signal: CloroTaskFinished = { taskId, status, idempotencyKey };
    try {
      const outcome = await opts.notifier.notify(request.params.workflowId, signal);
      log.info({ outcome }, outcome === 'signalled' ? 'workflow signalled' : 'workflow closed or unknown: delivery acknowledged');
      return reply.code(200).send({ outcome });
    } catch (err) {
      log.error({ outcome: 'unavailable', reason: describeError(err) }, 'could not signal the workflow: Temporal unreachable');
      return reply.code(503).header('retry-after', String(opts.retryAfterSeconds)).send({ error: 'temporarily unavailable, retry later' });
    }
  });
};
