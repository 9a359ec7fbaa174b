/**
 * Bearer-key auth as cloro answers it: no header → MISSING_API_KEY, not a bearer token →
 * INVALID_API_KEY_FORMAT, a key other than the configured one → INVALID_OR_EXPIRED_API_KEY.
 * With no key configured any bearer key is accepted, so tests and demos need no setup.
 */
import { SimError } from './sim-error';

/** Returns the caller's key or throws the 401 cloro would send. */
export function authenticate(header: string | undefined, expected: string | undefined): string {
  if (header === undefined || header.trim() === '') {
    throw new SimError(401, 'MISSING_API_KEY', 'Missing API key: send Authorization: Bearer <key>');
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw new SimError(401, 'INVALID_API_KEY_FORMAT', 'Authorization header must be "Bearer <key>"');
  if (expected !== undefined && match[1] !== expected) {
    throw new SimError(401, 'INVALID_OR_EXPIRED_API_KEY', 'Invalid or expired API key');
  }
  return match[1];
}
