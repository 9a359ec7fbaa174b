/**
 * The one implementation of `POST <prefix>/webhooks/cloro/<workflowId>/<token>`, free of
 * any web framework: a request (method, URL, headers, raw body) in, `{ status, headers,
 * body }` out. The Fastify plugin, the standalone app and any other host are thin layers
 * over it, so every host checks a delivery the same way.
 *
 * Order of checks, cheapest and most telling first:
 *   1. method and path (a callback URL has exactly two segments)      → 404 (400 if undecodable)
 *   2. callback token, before the body is even read                  → 401
 *   3. body size (Content-Length, then while reading)                → 413
 *   4. X-Cloro-Signature on the raw bytes, when a secret is set      → 401
 *   5. JSON + TaskDocumentSchema, ids at most MAX_ID_LENGTH           → 400
 *   6. non-terminal status (an unknown one too, unless it reads as ended) → 200, nothing to wake
 *   7. signal: accepted → 200; workflow closed/unknown → 200; Temporal unreachable → 503
 *
 * Deduplication is deliberately not done here: cloro delivers at least once, the workflow
 * dedupes on task id, and a duplicate signal costs one small history event. Keeping the
 * bridge stateless means any number of replicas can run behind one URL.
 */
import { z } from 'zod';
import { isEndedStatus, TaskDocumentSchema, TaskSummarySchema } from '../cloro/schemas';
import { header, verifyWebhookSignature, WebhookSignatureError, WEBHOOK_ID_HEADER, type HeaderBag } from '../cloro/webhook-signature';
import { formatZodError, MIN_BRIDGE_SECRET_BYTES } from '../config';
import { type CloroTaskFinished, MAX_ID_LENGTH } from '../../workflows/definitions';
import { clip, describeError, silentLogger, type BridgeLogger } from './log';
import type { Notifier } from './notifier';
import { readRawBody, type RawBody } from './raw-body';
import { resolveNotifier, type NotifierSource } from './temporal-notifier';
import { verifyCallbackToken, WEBHOOK_ROUTE_PREFIX } from './token';

/** 1 MiB: a webhook carries the full answer, which runs to a few hundred KiB at most. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;
/** One minute: cloro's own retry schedule starts at two. */
export const DEFAULT_RETRY_AFTER_SECONDS = 60;

/** How deliveries are checked and answered, whatever serves them. */
export interface WebhookSettings {
  /** Key of the per-workflow callback tokens, at least 32 bytes: the secret the worker builds callback URLs with. */
  bridgeSecret: string;
  /** cloro's `whsec_…` signing secret; when set, every webhook must carry a valid `X-Cloro-Signature`. */
  webhookSecret?: string;
  /** Largest accepted webhook body in bytes (default 1 MiB). Webhooks carry full answers, so this is generous. */
  bodyLimit?: number;
  /** Retry-After (seconds) sent with a 503 when Temporal is unreachable (default 60). */
  retryAfterSeconds?: number;
  /** Injectable clock (unix seconds) for the signature's timestamp tolerance. */
  nowSeconds?: () => number;
}

/** Options of {@link createCloroWebhookHandler}: who to signal, how to check, where it is mounted. */
export interface CloroWebhookHandlerOptions extends NotifierSource, WebhookSettings {
  /** Where the route is mounted: any prefix followed by `/webhooks/cloro` (the default). */
  routePath?: string;
  /** Used when a request brings no logger of its own; without either, nothing is logged. */
  logger?: BridgeLogger;
}

/** One incoming HTTP request, as any server sees it. */
export interface WebhookRequest {
  /** The HTTP method; anything but POST is a 404. */
  method: string;
  /** The request target as received: path (still percent-encoded) and optional query. */
  url: string;
  /** Header names in any case; a fetch `Headers` works too. */
  headers: HeaderBag;
  /** The raw body: bytes already read, or the request stream (read only after the token checks out). */
  body?: RawBody | null;
  /** A per-request logger (e.g. Fastify's `request.log`); else the handler's `logger`. */
  log?: BridgeLogger;
}

/** What to answer: `body` is JSON text and `headers` says so. */
export interface WebhookResponse {
  /** HTTP status: 200, 400, 401, 404, 413, 500 or 503. */
  status: number;
  /** Response headers: `content-type`, and `retry-after` with a 503. */
  headers: Record<string, string>;
  /** JSON text: `{ outcome }` on a 200, `{ error }` otherwise (never internals). */
  body: string;
}

/** Answers one request; never rejects (an unexpected failure is a logged 500). */
export type WebhookHandler = (request: WebhookRequest) => Promise<WebhookResponse>;

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

function respond(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): WebhookResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) };
}

const notFound = () => respond(404, { error: 'not found' });
// No hint about which check failed: the diagnosis goes to our log, not to the caller.
const unauthorized = () => respond(401, { error: 'unauthorized' });

type CallbackParams = { workflowId: string; token: string } | 'not-found' | 'bad-url';

/** The two segments after `routePath`, decoded; the URL is never echoed, since it carries the token. */
function callbackParams(url: string, routePath: string): CallbackParams {
  const path = url.split(/[?#]/, 1)[0] ?? '';
  if (!path.startsWith(`${routePath}/`)) return 'not-found';
  const segments = path.slice(routePath.length + 1).split('/');
  if (segments.length !== 2 || segments.includes('')) return 'not-found';
  try {
    const [workflowId, token] = segments.map((segment) => decodeURIComponent(segment)) as [string, string];
    return { workflowId, token };
  } catch {
    return 'bad-url';
  }
}

/**
 * The webhook route without a web framework: give it each request whose path starts with
 * `routePath` (or every request), send back what it returns. From node:http:
 *
 * ```ts
 * const handle = createCloroWebhookHandler({ client, bridgeSecret });
 * http.createServer(async (req, res) => {
 *   const answer = await handle({ method: req.method!, url: req.url!, headers: req.headers, body: req });
 *   res.writeHead(answer.status, answer.headers).end(answer.body);
 * });
 * ```
 *
 * Pass the body unparsed (a stream or the raw bytes): the signature covers exactly the
 * bytes cloro sent. Throws at once when neither `client` nor `notifier` is given, or when
 * `bridgeSecret` is shorter than 32 bytes.
 */
export function createCloroWebhookHandler(options: CloroWebhookHandlerOptions): WebhookHandler {
  // A short or empty key (an unset environment variable) would make every token guessable.
  if (typeof options.bridgeSecret !== 'string' || Buffer.byteLength(options.bridgeSecret, 'utf8') < MIN_BRIDGE_SECRET_BYTES) {
    throw new TypeError(`the cloro bridge's bridgeSecret must be at least ${MIN_BRIDGE_SECRET_BYTES} bytes`);
  }
  const notifier: Notifier = resolveNotifier(options);
  const routePath = (options.routePath ?? WEBHOOK_ROUTE_PREFIX).replace(/\/+$/, '');
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const retryAfterSeconds = options.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS;

  async function deliver(
    request: WebhookRequest,
    params: { workflowId: string; token: string },
    log: BridgeLogger,
  ): Promise<WebhookResponse> {
    if (!verifyCallbackToken(options.bridgeSecret, params.workflowId, params.token)) {
      log.warn({ outcome: 'bad_token' }, 'webhook rejected: callback token does not match the workflow');
      return unauthorized();
    }

    const declaredLength = Number(header(request.headers, 'content-length'));
    const raw = declaredLength > bodyLimit ? undefined : await readRawBody(request.body, bodyLimit);
    if (raw === undefined) {
      log.warn({ outcome: 'too_large', bodyLimit }, 'webhook rejected: body over the limit');
      return respond(413, { error: `body over the ${bodyLimit}-byte limit` });
    }

    if (options.webhookSecret) {
      try {
        verifyWebhookSignature(raw, request.headers, options.webhookSecret, { nowSeconds: options.nowSeconds?.() });
      } catch (err) {
        if (!(err instanceof WebhookSignatureError)) throw err;
        log.warn({ outcome: 'bad_signature', reason: err.message }, 'webhook rejected: signature check failed');
        return unauthorized();
      }
    }

    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      log.warn({ outcome: 'malformed', reason: 'body is not JSON' }, 'webhook rejected');
      return respond(400, { error: 'body is not valid JSON' });
    }
    const parsed = WebhookBodySchema.safeParse(json);
    if (!parsed.success) {
      const reason = formatZodError(parsed.error);
      log.warn({ outcome: 'malformed', reason }, 'webhook rejected');
      return respond(400, { error: `not a cloro task document: ${reason}` });
    }

    const { id: taskId, status, idempotencyKey } = parsed.data.task;
    log = log.child({ taskId: clip(taskId), status });
    if (!isEndedStatus(status)) {
      log.info({ outcome: 'ignored' }, 'webhook for a task that is not finished: nothing to wake');
      return respond(200, { outcome: 'ignored' });
    }

    const signal: CloroTaskFinished = { taskId, status, idempotencyKey };
    try {
      const outcome = await notifier.notify(params.workflowId, signal);
      log.info({ outcome }, outcome === 'signalled' ? 'workflow signalled' : 'workflow closed or unknown: delivery acknowledged');
      return respond(200, { outcome });
    } catch (err) {
      log.error({ outcome: 'unavailable', reason: describeError(err) }, 'could not signal the workflow: Temporal unreachable');
      return respond(503, { error: 'temporarily unavailable, retry later' }, { 'retry-after': String(retryAfterSeconds) });
    }
  }

  return async (request) => {
    if (request.method.toUpperCase() !== 'POST') return notFound();
    const params = callbackParams(request.url, routePath);
    if (params === 'not-found') return notFound();
    if (params === 'bad-url') return respond(400, { error: 'bad request' });

    // What every line of one delivery carries. Never the token, a secret or the body.
    const log = (request.log ?? options.logger ?? silentLogger).child({
      workflowId: clip(params.workflowId),
      webhookId: clip(header(request.headers, WEBHOOK_ID_HEADER)),
    });
    try {
      return await deliver(request, params, log);
    } catch (err) {
      // A broken request stream or a bug: the details stay in our log, never in the answer.
      log.error({ outcome: 'error', reason: describeError(err) }, 'webhook delivery failed');
      return respond(500, { error: 'internal error' });
    }
  };
}
