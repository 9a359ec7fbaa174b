/**
 * The one HTTP client for cloro's API. It does three things and nothing else:
 * - validates what we send (a mistake becomes a local `CloroValidationError`, not a 422);
 * - turns every answer into either a parsed, typed value or a `CloroError` subclass;
 * - keeps the API key out of every error message.
 *
 * It never retries: activities call it once per attempt and Temporal's retry policy,
 * fed by `toApplicationFailure`, decides whether and when to try again.
 */
import { z } from 'zod';
import { version } from '../../package.json';
import { DEFAULT_CLORO_BASE_URL, formatZodError } from '../config';
import { CloroConnectionError, CloroError, CloroProtocolError, CloroValidationError } from './errors';
import {
  BatchCreateRequestSchema,
  BatchCreateResponseSchema,
  ClearQueueResponseSchema,
  CountriesResponseSchema,
  CreateTaskRequestSchema,
  CreateTaskResponseSchema,
  CreditsBalanceSchema,
  StatusResponseSchema,
  TaskDocumentSchema,
  toCloroTask,
  type BatchCreateResponse,
  type ClearQueueResponse,
  type CloroTask,
  type CreateTaskRequest,
  type CreateTaskResponse,
  type CreditsBalance,
  type StatusResponse,
} from './schemas';
import { traceCloroCall } from './trace';

export const DEFAULT_TIMEOUT_MS = 30_000;
const USER_AGENT = `cloro-temporal/${version}`;
/** Keys shorter than this are test placeholders; scrubbing them would mangle ordinary words. */
const MIN_REDACTED_KEY_LENGTH = 8;
const SNIPPET_LENGTH = 200;

/** The client's settings: the API key, and the simulator's base URL when it stands in for cloro. */
export interface CloroClientOptions {
  apiKey: string;
  /** Defaults to https://api.cloro.dev; the simulator's URL in tests and embedded mode. */
  baseURL?: string;
  /** Replaces the global fetch (tests, proxies, instrumentation). */
  fetch?: typeof fetch;
  /** Milliseconds for one whole request, response body included. Default 30 s. */
  timeout?: number;
}

export interface RequestOptions {
  timeout?: number;
  /** The caller's cancellation (an activity's `cancellationSignal`); its abort is rethrown untouched. */
  signal?: AbortSignal;
}

type Method = 'GET' | 'POST' | 'DELETE';

/** cloro's HTTP API: validates what it sends, parses every answer or throws a `CloroError`, never retries. */
export class CloroClient {
  private readonly apiKey: string;
  private readonly baseURL: string;
  private readonly timeout: number;
  private readonly fetchImpl: typeof fetch;

  constructor(options: CloroClientOptions) {
    if (typeof options.apiKey !== 'string' || options.apiKey.trim() === '') {
      throw new TypeError('CloroClient needs an apiKey');
    }
    const baseURL = options.baseURL ?? DEFAULT_CLORO_BASE_URL;
    if (!URL.canParse(baseURL)) throw new TypeError(`CloroClient baseURL is not a URL: ${baseURL}`);
    const timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(timeout) || timeout <= 0) throw new TypeError('CloroClient timeout must be a positive number of ms');

    this.apiKey = options.apiKey;
    // A base with a path prefix (a proxy) keeps it; only trailing slashes go.
    this.baseURL = baseURL.replace(/\/+$/, '');
    this.timeout = timeout;
    // Called through a wrapper so the global fetch never runs with a foreign `this`.
    const custom = options.fetch;
    this.fetchImpl = custom ? (input, init) => custom(input, init) : (input, init) => fetch(input, init);
  }

  /** POST /v1/async/task. Any 2xx counts as created; the body must still be a task. */
  async createTask(req: CreateTaskRequest, opts?: RequestOptions): Promise<CreateTaskResponse> {
    const body = validateTask(req, 'task');
    return this.request('POST', '/v1/async/task', (json) => CreateTaskResponseSchema.parse(json), opts, body);
  }

  /** POST /v1/async/task/batch with 1–500 tasks; per-item failures come back in `results`, not as errors. */
  async createTasks(reqs: CreateTaskRequest[], opts?: RequestOptions): Promise<BatchCreateResponse> {
    const list = BatchCreateRequestSchema.safeParse(reqs);
    if (!list.success) throw localValidationError(`invalid batch: ${formatZodError(list.error, 'tasks')}`, list.error);
    const body = reqs.map((req, i) => validateTask(req, `tasks[${i}]`));
    return this.request('POST', '/v1/async/task/batch', (json) => BatchCreateResponseSchema.parse(json), opts, body);
  }

  /** GET /v1/async/task/{id}, flattened into the `CloroTask` union (result or error unwrapped). */
  async getTask(id: string, opts?: RequestOptions): Promise<CloroTask> {
    if (typeof id !== 'string' || id.trim() === '') {
      throw localValidationError('invalid task id: must be a non-empty string');
    }
    const path = `/v1/async/task/${encodeURIComponent(id)}`;
    return this.request('GET', path, (json) => toCloroTask(TaskDocumentSchema.parse(json)), opts);
  }

  /** GET /v1/async/status; `concurrency` is null during cloro maintenance. */
  async getStatus(opts?: RequestOptions): Promise<StatusResponse> {
    return this.request('GET', '/v1/async/status', (json) => StatusResponseSchema.parse(json), opts);
  }

  async getCredits(opts?: RequestOptions): Promise<CreditsBalance> {
    return this.request('GET', '/v1/credits', (json) => CreditsBalanceSchema.parse(json), opts);
  }

  /** DELETE /v1/async/queue: cancels every task of the org that is still QUEUED. */
  async cancelQueued(opts?: RequestOptions): Promise<ClearQueueResponse> {
    return this.request('DELETE', '/v1/async/queue', (json) => ClearQueueResponseSchema.parse(json), opts);
  }

  /**
   * GET /v1/countries, optionally for one engine. cloro's reference spells the engine in
   * lower case (`?model=chatgpt`), so task types are lower-cased here.
   */
  async getCountries(model?: string, opts?: RequestOptions): Promise<string[]> {
    const query = model ? `?model=${encodeURIComponent(model.toLowerCase())}` : '';
    return this.request('GET', `/v1/countries${query}`, (json) => CountriesResponseSchema.parse(json), opts);
  }

  private async request<T>(
    method: Method,
    path: string,
    parse: (json: unknown) => T,
    opts: RequestOptions = {},
    body?: unknown,
  ): Promise<T> {
    const where = `${method} ${path}`;
    const callerSignal = opts.signal;
    // A cancelled activity must not start a request it would immediately abandon.
    callerSignal?.throwIfAborted();

    const timeoutMs = opts.timeout ?? this.timeout;
    const timer = new AbortController();
    const handle = setTimeout(() => timer.abort(), timeoutMs);
    const signal = callerSignal ? AbortSignal.any([callerSignal, timer.signal]) : timer.signal;

    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.apiKey}`,
      Accept: 'application/json',
      'User-Agent': USER_AGENT,
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';

    let res: Response;
    let text: string;
    try {
      ({ res, text } = await traceCloroCall(method, path, this.baseURL, async () => {
        const res = await this.fetchImpl(this.baseURL + path, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal,
        });
        // Reading the body is inside the timeout too: a server can stall after the headers.
        return { res, text: await res.text() };
      }));
    } catch (err) {
      // The caller's abort is a cancellation, not a fault: Temporal must see it as such.
      if (callerSignal?.aborted) throw callerSignal.reason;
      if (timer.signal.aborted) {
        throw new CloroConnectionError(
          `cloro ${where}: timeout after ${timeoutMs} ms without a complete answer (the request may or may not have taken effect)`,
          err,
        );
      }
      throw new CloroConnectionError(`cloro ${where}: connection failure with ${this.baseURL} (${this.redact(describeCause(err))})`, err);
    } finally {
      clearTimeout(handle);
    }

    const safeText = this.redact(text);
    if (!res.ok) throw CloroError.from(res.status, parseJsonOr(safeText), res.headers);

    const requestId = res.headers.get('x-request-id');
    const suffix = requestId ? ` (request id ${requestId})` : '';
    let json: unknown;
    try {
      json = JSON.parse(safeText);
    } catch {
      const type = res.headers.get('content-type') ?? 'no content-type';
      throw new CloroProtocolError(
        `cloro ${where} answered HTTP ${res.status} with a body that is not JSON (${type}): ${snippet(safeText)}${suffix}`,
        undefined,
        requestId,
      );
    }
    try {
      return parse(json);
    } catch (err) {
      if (!(err instanceof z.ZodError)) throw err;
      throw new CloroProtocolError(
        `cloro ${where} answered HTTP ${res.status} with an unexpected body: ${formatZodError(err, 'response')}${suffix}`,
        err.issues,
        requestId,
      );
    }
  }

  /** Bodies and transport messages are external text: make sure the key cannot ride out in them. */
  private redact(text: string): string {
    if (this.apiKey.length < MIN_REDACTED_KEY_LENGTH) return text;
    return text.split(this.apiKey).join('[redacted]');
  }
}

/** Parses with the strict request schema and returns what will be sent (prompt trimmed). */
function validateTask(req: unknown, label: string): CreateTaskRequest {
  const parsed = CreateTaskRequestSchema.safeParse(req);
  if (!parsed.success) throw localValidationError(`invalid ${label}: ${formatZodError(parsed.error)}`, parsed.error);
  return parsed.data;
}

/** Rejected before any HTTP call: status null says cloro never saw it. */
function localValidationError(message: string, error?: z.ZodError): CloroValidationError {
  return new CloroValidationError({ status: null, code: 'VALIDATION_ERROR', message, details: error?.issues });
}

function parseJsonOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function snippet(text: string): string {
  if (text.trim() === '') return '(empty body)';
  const flat = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > SNIPPET_LENGTH ? `${flat.slice(0, SNIPPET_LENGTH)}…` : flat);
}

/**
 * fetch rejects with "fetch failed"; the useful part (ECONNREFUSED, ENOTFOUND, …) is in
 * `cause`. Duck-typed: errors from Node internals may come from another realm (jest's VM).
 */
function describeCause(err: unknown): string {
  const outer = err as { message?: unknown; cause?: unknown } | null;
  const inner = (isErrorLike(outer?.cause) ? outer?.cause : outer) as { message?: unknown; code?: unknown } | null;
  const message = typeof inner?.message === 'string' && inner.message !== '' ? inner.message : String(inner);
  const code = inner?.code;
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}

function isErrorLike(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
}
