/**
 * Failure types and whether a retry can help: the one table both sides read. Each type is
 * the `type` of an activity's ApplicationFailure, i.e. the `name` of an error class in
 * src/cloro/errors.ts; those classes take their `retryable` flag from here, and the retry
 * policies (workflows/retry-policies.ts) pass NON_RETRYABLE_ERROR_TYPES on, so neither can
 * drift from the other. Pure data: workflow code imports it.
 */

/**
 * The same call may succeed later: 429 rate limits (a one-second window), 429
 * QUEUE_LIMIT_EXCEEDED (the queue drains in minutes), 499 (cancelled mid-flight, nothing
 * decided), 5xx, no HTTP answer at all, and a results-store write that failed (the database
 * may be back at the next attempt).
 */
export const RETRYABLE_FAILURE_TYPES = [
  'CloroRateLimited',
  'CloroQueueFull',
  'CloroRequestCanceled',
  'CloroServerError',
  'CloroConnectionError',
  'StoreWriteFailed',
] as const;

/**
 * No retry can help: 400/422 (the request is wrong), 401/403 (an operator must fix the key),
 * 402 or INSUFFICIENT_CREDITS (retrying would hammer cloro until the cycle resets), 404
 * (unknown or purged task), 409 (the key was used before; the create activity turns it into
 * an outcome), a 2xx whose body breaks the contract, an HTTP error the contract does not
 * name, and our own configuration that cannot serve the call (webhook delivery without a bridge).
 */
export const NON_RETRYABLE_ERROR_TYPES = [
  'CloroValidationError',
  'CloroAuthError',
  'CloroInsufficientCredits',
  'CloroNotFound',
  'CloroConflict',
  'CloroProtocolError',
  'CloroError',
  'ConfigError',
] as const;

export type FailureType = (typeof RETRYABLE_FAILURE_TYPES)[number] | (typeof NON_RETRYABLE_ERROR_TYPES)[number];

export function isRetryableFailure(type: FailureType): boolean {
  return (RETRYABLE_FAILURE_TYPES as readonly string[]).includes(type);
}
