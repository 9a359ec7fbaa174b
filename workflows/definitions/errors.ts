/**
 * Failure types and whether a retry can help: the one table both sides read. The error
 * classes in src/cloro/errors.ts take their `retryable` flag from it, and the retry policies
 * (workflows/retry-policies.ts) derive their non-retryable list from it, so neither can
 * drift from the other. Pure data: workflow code imports it.
 */

/**
 * Every failure type an activity reports (the `type` of its ApplicationFailure, which is the
 * error class's `name`), with whether the same call may succeed later.
 */
export const FAILURE_TYPES = {
  /** 400/422: the request itself is wrong. */
  CloroValidationError: { retryable: false },
  /** 401/403: an operator must fix the key. */
  CloroAuthError: { retryable: false },
  /** 402 or INSUFFICIENT_CREDITS: retrying would hammer cloro until the cycle resets. */
  CloroInsufficientCredits: { retryable: false },
  /** 404: unknown task, or purged 24 h after it finished. */
  CloroNotFound: { retryable: false },
  /** 409: the key was used before; the create activity turns it into an outcome. */
  CloroConflict: { retryable: false },
  /** A 2xx whose body breaks the contract: the same request gets the same body. */
  CloroProtocolError: { retryable: false },
  /** An HTTP error cloro's contract does not name (an unexpected 4xx). */
  CloroError: { retryable: false },
  /** 429 rate limits: a one-second window. */
  CloroRateLimited: { retryable: true },
  /** 429 QUEUE_LIMIT_EXCEEDED: the queue drains in minutes. */
  CloroQueueFull: { retryable: true },
  /** 499: cancelled mid-flight, nothing decided. */
  CloroRequestCanceled: { retryable: true },
  /** 5xx. */
  CloroServerError: { retryable: true },
  /** No HTTP answer at all. */
  CloroConnectionError: { retryable: true },
  /** Our own configuration cannot serve the call (e.g. webhook delivery without a bridge). */
  ConfigError: { retryable: false },
} as const satisfies Record<string, { retryable: boolean }>;

export type FailureType = keyof typeof FAILURE_TYPES;

/** Failure types a Temporal retry policy must never retry. */
export const NON_RETRYABLE_ERROR_TYPES: readonly FailureType[] = (Object.keys(FAILURE_TYPES) as FailureType[]).filter(
  (type) => !FAILURE_TYPES[type].retryable,
);
