/**
 * Every way a cloro call can fail, one class per kind, and the single place that decides
 * whether a failure is worth retrying and after how long.
 *
 * Each class sets `name` explicitly: Temporal uses it as the failure type, so a minified
 * or bundled class name would silently break `nonRetryableErrorTypes`. Whether a kind is
 * retryable is read from workflows/definitions/errors.ts, the table the
 * workflows' retry policies are derived from too.
 */
import { ApplicationFailure } from '@temporalio/common';
import { type FailureType, isRetryableFailure } from '../../workflows/definitions';
import { ErrorEnvelopeSchema } from './schemas';

/** cloro's queue-full answer means "minutes"; nothing in the body says how many. */
export const QUEUE_FULL_RETRY_MS = 60_000;
/** cloro's 429 carries no Retry-After; its request-rate window is one second. */
export const RATE_LIMITED_RETRY_MS = 2_000;

export interface CloroErrorInit {
  status: number | null;
  code: string;
  message: string;
  details?: unknown;
  requestId?: string | null;
  retryAfterMs?: number | null;
  cause?: unknown;
}

export class CloroError extends Error {
  override name: FailureType = 'CloroError';
  readonly status: number | null;
  readonly code: string;
  readonly details: unknown;
  readonly requestId: string | null;
  /** Delay cloro asked for (Retry-After) or that its error code implies; null = caller's backoff. */
  readonly retryAfterMs: number | null;

  constructor(init: CloroErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
    this.requestId = init.requestId ?? null;
    this.retryAfterMs = init.retryAfterMs ?? null;
  }

  /** Whether the same request may succeed later: workflows/definitions/errors.ts decides, per class. */
  get retryable(): boolean {
    return isRetryableFailure(this.name);
  }

  /** Picks the class for an HTTP error answer; the body may be any of cloro's two error shapes or not JSON at all. */
  static from(status: number, body: unknown, headers: Headers): CloroError {
    const parsed = ErrorEnvelopeSchema.safeParse(body);
    let code = `HTTP_${status}`;
    let message = `cloro answered HTTP ${status}`;
    let details: unknown;
    if (parsed.success) {
      const err = parsed.data.error;
      if (typeof err === 'string') {
        code = status === 400 || status === 422 ? 'VALIDATION_ERROR' : code;
        message = err;
        details = parsed.data.details;
      } else {
        code = err.code;
        message = err.message || message;
        details = err.details;
      }
    }
    const init: CloroErrorInit = {
      status,
      code,
      message,
      details,
      requestId: headers.get('x-request-id'),
      retryAfterMs: parseRetryAfter(headers.get('retry-after')),
    };
    if (code === 'INSUFFICIENT_CREDITS') return new CloroInsufficientCredits(init);
    switch (status) {
      case 400:
      case 422:
        return new CloroValidationError(init);
      case 401:
      case 403:
        return new CloroAuthError(init);
      case 402:
        return new CloroInsufficientCredits(init);
      case 404:
        return new CloroNotFound(init);
      case 409:
        return new CloroConflict(init);
      case 429:
        return code === 'QUEUE_LIMIT_EXCEEDED' ? new CloroQueueFull(init) : new CloroRateLimited(init);
      case 499:
        return new CloroRequestCanceled(init);
      default:
        return status >= 500 ? new CloroServerError(init) : new CloroError(init);
    }
  }
}

/** 400/422: the request itself is wrong; sending it again cannot help. */
export class CloroValidationError extends CloroError {
  override name: FailureType = 'CloroValidationError';
}

/** 401/403: missing, malformed, expired or under-privileged key; an operator must act. */
export class CloroAuthError extends CloroError {
  override name: FailureType = 'CloroAuthError';
}

/** 402/403 INSUFFICIENT_CREDITS: retrying blindly would hammer cloro until the cycle resets. */
export class CloroInsufficientCredits extends CloroError {
  override name: FailureType = 'CloroInsufficientCredits';
}

/** 404: unknown task, or one purged 24 h after it finished. */
export class CloroNotFound extends CloroError {
  override name: FailureType = 'CloroNotFound';
}

/** 409: the idempotency key was used before; the caller decides what "created earlier" means. */
export class CloroConflict extends CloroError {
  override name: FailureType = 'CloroConflict';
}

/** 429 RATE_LIMIT_EXCEEDED / CONCURRENCY_LIMIT_EXCEEDED: a one-second window, retry in seconds. */
export class CloroRateLimited extends CloroError {
  override name: FailureType = 'CloroRateLimited';
  constructor(init: CloroErrorInit) {
    super({ ...init, retryAfterMs: init.retryAfterMs ?? RATE_LIMITED_RETRY_MS });
  }
}

/** 429 QUEUE_LIMIT_EXCEEDED: 100,000 tasks already waiting; the queue drains in minutes. */
export class CloroQueueFull extends CloroError {
  override name: FailureType = 'CloroQueueFull';
  constructor(init: CloroErrorInit) {
    super({ ...init, retryAfterMs: init.retryAfterMs ?? QUEUE_FULL_RETRY_MS });
  }
}

/** 499: cloro saw the request cancelled mid-flight; nothing was decided, so try again. */
export class CloroRequestCanceled extends CloroError {
  override name: FailureType = 'CloroRequestCanceled';
}

/** 5xx: cloro or its upstream failed; retry with backoff, honouring Retry-After (503). */
export class CloroServerError extends CloroError {
  override name: FailureType = 'CloroServerError';
}

/** No HTTP answer at all (refused, reset, DNS, timeout): the request may or may not have landed. */
export class CloroConnectionError extends CloroError {
  override name: FailureType = 'CloroConnectionError';
  constructor(message: string, cause?: unknown) {
    super({ status: null, code: 'CONNECTION_ERROR', message, cause });
  }
}

/**
 * A 2xx whose body does not match the contract. Not retryable: the same request would get
 * the same body, and a workflow stuck retrying it would hide a contract change.
 */
export class CloroProtocolError extends CloroError {
  override name: FailureType = 'CloroProtocolError';
  constructor(message: string, details?: unknown, requestId?: string | null) {
    super({ status: null, code: 'PROTOCOL_ERROR', message, details, requestId });
  }
}

/**
 * Turns any error from a cloro call into the failure Temporal sees. Retryable errors keep
 * cloro's suggested delay as `nextRetryDelay`; everything else is non-retryable so the
 * workflow gets a typed failure at once instead of an activity retrying forever.
 */
export function toApplicationFailure(err: unknown): ApplicationFailure {
  if (!(err instanceof CloroError)) {
    // Our own bug or an unexpected throw: let Temporal's backoff retry it like any transient fault.
    const message = err instanceof Error ? err.message : String(err);
    return ApplicationFailure.retryable(message, err instanceof Error ? err.name : 'Error');
  }
  return ApplicationFailure.create({
    type: err.name,
    message: err.message,
    nonRetryable: !err.retryable,
    details: [{ status: err.status, code: err.code, requestId: err.requestId, details: err.details ?? null }],
    ...(err.retryable && err.retryAfterMs !== null ? { nextRetryDelay: err.retryAfterMs } : {}),
    cause: err,
  });
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: () => number = Date.now): number | null {
  if (value === null || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now());
}

/**
 * Codes on a FAILED task that describe cloro's or the provider's bad moment rather than
 * the prompt itself; only these justify a resubmission (which costs a new task).
 */
const TRANSIENT_TASK_FAILURES: ReadonlySet<string> = new Set([
  'INTERNAL_ERROR',
  'INTERNAL_SERVER_ERROR',
  'EXTERNAL_SERVICE_ERROR',
  'SERVICE_UNAVAILABLE',
  'PROVIDER_ERROR',
  'TIMEOUT',
  'RATE_LIMIT_EXCEEDED',
]);

export function isTransientTaskFailure(code: string): boolean {
  return TRANSIENT_TASK_FAILURES.has(code);
}
