import { ApplicationFailure } from '@temporalio/common';
import {
  CloroAuthError,
  CloroConflict,
  CloroConnectionError,
  CloroError,
  CloroInsufficientCredits,
  CloroNotFound,
  CloroProtocolError,
  CloroQueueFull,
  CloroRateLimited,
  CloroRequestCanceled,
  CloroServerError,
  CloroValidationError,
  QUEUE_FULL_RETRY_MS,
  RATE_LIMITED_RETRY_MS,
  parseRetryAfter,
  toApplicationFailure,
} from '../../src/cloro/errors';
import { NON_RETRYABLE_ERROR_TYPES } from '../../workflows/definitions';

function envelope(code: string, message = `${code} happened`, details?: unknown) {
  return { success: false, error: { code, message, details, timestamp: '2025-12-10T11:41:40.243Z' } };
}

function headers(init: Record<string, string> = {}): Headers {
  return new Headers(init);
}

type ErrorClass = abstract new (...args: never[]) => CloroError;

interface Case {
  status: number;
  body: unknown;
  cls: ErrorClass;
  code: string;
  retryable: boolean;
  retryAfterMs: number | null;
}

/** status, cloro's code (in its error envelope), the class it maps to, retryable, the delay cloro implies. */
const table: [number, string, ErrorClass, boolean, number | null][] = [
  [400, 'VALIDATION_ERROR', CloroValidationError, false, null],
  [422, 'VALIDATION_ERROR', CloroValidationError, false, null],
  [401, 'MISSING_API_KEY', CloroAuthError, false, null],
  [401, 'INVALID_API_KEY', CloroAuthError, false, null],
  [401, 'INVALID_API_KEY_FORMAT', CloroAuthError, false, null],
  [401, 'INVALID_OR_EXPIRED_API_KEY', CloroAuthError, false, null],
  [402, 'INSUFFICIENT_CREDITS', CloroInsufficientCredits, false, null],
  [403, 'INSUFFICIENT_CREDITS', CloroInsufficientCredits, false, null],
  [403, 'INSUFFICIENT_PERMISSIONS', CloroAuthError, false, null],
  [404, 'RESOURCE_NOT_FOUND', CloroNotFound, false, null],
  [409, 'RESOURCE_ALREADY_EXISTS', CloroConflict, false, null],
  [409, 'RESOURCE_CONFLICT', CloroConflict, false, null],
  [429, 'QUEUE_LIMIT_EXCEEDED', CloroQueueFull, true, QUEUE_FULL_RETRY_MS],
  [429, 'RATE_LIMIT_EXCEEDED', CloroRateLimited, true, RATE_LIMITED_RETRY_MS],
  [429, 'CONCURRENCY_LIMIT_EXCEEDED', CloroRateLimited, true, RATE_LIMITED_RETRY_MS],
  [429, 'CONCURRENT_LIMIT_EXCEEDED', CloroRateLimited, true, RATE_LIMITED_RETRY_MS],
  [499, 'REQUEST_CANCELED', CloroRequestCanceled, true, null],
  [500, 'INTERNAL_ERROR', CloroServerError, true, null],
  [500, 'INTERNAL_SERVER_ERROR', CloroServerError, true, null],
  [502, 'EXTERNAL_SERVICE_ERROR', CloroServerError, true, null],
  [503, 'SERVICE_UNAVAILABLE', CloroServerError, true, null],
];
const cases: Case[] = table.map(([status, code, cls, retryable, retryAfterMs]) => ({
  status,
  body: envelope(code),
  cls,
  code,
  retryable,
  retryAfterMs,
}));

describe('CloroError.from', () => {
  it.each(cases)('maps HTTP $status $code to $cls.name (retryable: $retryable)', ({ status, body, cls, code, retryable, retryAfterMs }) => {
    const err = CloroError.from(status, body, headers());
    expect(err).toBeInstanceOf(cls);
    expect(err.name).toBe(cls.name);
    expect(err.status).toBe(status);
    expect(err.code).toBe(code);
    expect(err.message).toBe(`${code} happened`);
    expect(err.retryable).toBe(retryable);
    expect(err.retryAfterMs).toBe(retryAfterMs);
  });

  it('keeps the 409 details that name the reused idempotency key', () => {
    const details = { field: 'idempotencyKey', value: 'abc123' };
    const err = CloroError.from(409, envelope('RESOURCE_ALREADY_EXISTS', 'Task already exists', details), headers());
    expect(err.details).toEqual(details);
  });

  it('reads the async validation shape {error: "<string>", details: [...]} as VALIDATION_ERROR on 400 and 422', () => {
    for (const status of [400, 422]) {
      const details = [{ path: ['payload', 'prompt'], message: 'Required' }];
      const err = CloroError.from(status, { error: 'Invalid request body', details }, headers());
      expect(err).toBeInstanceOf(CloroValidationError);
      expect(err.code).toBe('VALIDATION_ERROR');
      expect(err.message).toBe('Invalid request body');
      expect(err.details).toEqual(details);
      expect(err.retryable).toBe(false);
    }
  });

  it('reads the string-error shape on a 500 as a retryable server error with its message', () => {
    const err = CloroError.from(500, { success: false, error: 'Maximum retries exceeded' }, headers());
    expect(err).toBeInstanceOf(CloroServerError);
    expect(err.code).toBe('HTTP_500');
    expect(err.message).toBe('Maximum retries exceeded');
    expect(err.retryable).toBe(true);
  });

  it('classifies a non-JSON body (a proxy error page) by status alone', () => {
    const gateway = CloroError.from(502, '<html><body>Bad Gateway</body></html>', headers({ 'content-type': 'text/html' }));
    expect(gateway).toBeInstanceOf(CloroServerError);
    expect(gateway.code).toBe('HTTP_502');
    expect(gateway.message).toBe('cloro answered HTTP 502');
    expect(gateway.retryable).toBe(true);

    const unauthorized = CloroError.from(401, 'Unauthorized', headers());
    expect(unauthorized).toBeInstanceOf(CloroAuthError);
    expect(unauthorized.retryable).toBe(false);
  });

  it('treats an unknown 4xx as a plain non-retryable CloroError', () => {
    const err = CloroError.from(418, envelope('TEAPOT'), headers());
    expect(err.constructor).toBe(CloroError);
    expect(err.name).toBe('CloroError');
    expect(err.retryable).toBe(false);
  });

  it('honours Retry-After in seconds on 500, 502 and 503', () => {
    for (const [status, code] of [
      [500, 'INTERNAL_ERROR'],
      [502, 'EXTERNAL_SERVICE_ERROR'],
      [503, 'SERVICE_UNAVAILABLE'],
    ] as const) {
      const err = CloroError.from(status, envelope(code), headers({ 'Retry-After': '30' }));
      expect(err).toBeInstanceOf(CloroServerError);
      expect(err.retryAfterMs).toBe(30_000);
    }
  });

  it('honours Retry-After as an HTTP date on 503', () => {
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    try {
      const err = CloroError.from(503, envelope('SERVICE_UNAVAILABLE'), headers({ 'Retry-After': 'Thu, 01 Jan 2026 00:02:00 GMT' }));
      expect(err).toBeInstanceOf(CloroServerError);
      expect(err.retryAfterMs).toBe(120_000);
    } finally {
      jest.useRealTimers();
    }
  });

  it('lets a Retry-After on a 429 replace the default rate-limit and queue-full delays', () => {
    expect(CloroError.from(429, envelope('RATE_LIMIT_EXCEEDED'), headers({ 'retry-after': '7' })).retryAfterMs).toBe(7_000);
    expect(CloroError.from(429, envelope('QUEUE_LIMIT_EXCEEDED'), headers({ 'retry-after': '300' })).retryAfterMs).toBe(300_000);
  });

  it('carries the x-request-id header as requestId', () => {
    const err = CloroError.from(500, envelope('INTERNAL_ERROR'), headers({ 'x-request-id': 'req_42' }));
    expect(err.requestId).toBe('req_42');
    expect(CloroError.from(500, envelope('INTERNAL_ERROR'), headers()).requestId).toBeNull();
  });
});

describe('parseRetryAfter', () => {
  const now = () => Date.parse('2026-01-01T00:00:00Z');

  it('reads delta-seconds, including fractions and zero', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('1.5', now)).toBe(1_500);
    expect(parseRetryAfter('0', now)).toBe(0);
  });

  it('reads an HTTP date relative to the injected clock and never goes negative', () => {
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:01:30 GMT', now)).toBe(90_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
  });

  it('returns null for a missing, empty or unreadable header', () => {
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('  ', now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
  });
});

describe('local error kinds', () => {
  it('makes a connection failure retryable with no status', () => {
    const err = new CloroConnectionError('connection failure', new Error('ECONNRESET'));
    expect(err.name).toBe('CloroConnectionError');
    expect(err.status).toBeNull();
    expect(err.code).toBe('CONNECTION_ERROR');
    expect(err.retryable).toBe(true);
  });

  it('makes a protocol error non-retryable and keeps the request id', () => {
    const err = new CloroProtocolError('bad body', [{ path: ['task', 'id'] }], 'req_1');
    expect(err.name).toBe('CloroProtocolError');
    expect(err.code).toBe('PROTOCOL_ERROR');
    expect(err.retryable).toBe(false);
    expect(err.requestId).toBe('req_1');
  });
});

describe('toApplicationFailure', () => {
  it.each(cases)(
    'turns HTTP $status $code into type $cls.name with nonRetryable = !retryable',
    ({ status, body, cls, retryable, retryAfterMs }) => {
      const failure = toApplicationFailure(CloroError.from(status, body, headers()));
      expect(failure).toBeInstanceOf(ApplicationFailure);
      expect(failure.type).toBe(cls.name);
      expect(failure.nonRetryable).toBe(!retryable);
      expect(failure.nextRetryDelay ?? null).toBe(retryable ? retryAfterMs : null);
    },
  );

  it('passes Retry-After through as nextRetryDelay on a retryable error', () => {
    const failure = toApplicationFailure(CloroError.from(503, envelope('SERVICE_UNAVAILABLE'), headers({ 'retry-after': '12' })));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.nextRetryDelay).toBe(12_000);
  });

  it('leaves nextRetryDelay unset on a retryable error without a suggested delay, so the policy backoff applies', () => {
    const failure = toApplicationFailure(CloroError.from(500, envelope('INTERNAL_ERROR'), headers()));
    expect(failure.nonRetryable).toBe(false);
    expect(failure.nextRetryDelay).toBeUndefined();
  });

  it('never sets nextRetryDelay on a non-retryable error, even if cloro sent Retry-After', () => {
    const failure = toApplicationFailure(CloroError.from(409, envelope('RESOURCE_ALREADY_EXISTS'), headers({ 'retry-after': '5' })));
    expect(failure.nonRetryable).toBe(true);
    expect(failure.nextRetryDelay).toBeUndefined();
  });

  it('carries status, code, request id and details for the workflow to inspect', () => {
    const details = { field: 'idempotencyKey', value: 'k1' };
    const failure = toApplicationFailure(
      CloroError.from(409, envelope('RESOURCE_ALREADY_EXISTS', 'Task already exists', details), headers({ 'x-request-id': 'r9' })),
    );
    expect(failure.message).toBe('Task already exists');
    expect(failure.details).toEqual([{ status: 409, code: 'RESOURCE_ALREADY_EXISTS', requestId: 'r9', details }]);
  });

  it('maps connection errors to retryable and protocol errors to non-retryable failures', () => {
    const conn = toApplicationFailure(new CloroConnectionError('timeout'));
    expect(conn.type).toBe('CloroConnectionError');
    expect(conn.nonRetryable).toBe(false);
    const proto = toApplicationFailure(new CloroProtocolError('bad body'));
    expect(proto.type).toBe('CloroProtocolError');
    expect(proto.nonRetryable).toBe(true);
  });

  it('lets Temporal retry an unexpected non-cloro error under its own name', () => {
    const failure = toApplicationFailure(new TypeError('oops'));
    expect(failure.type).toBe('TypeError');
    expect(failure.nonRetryable).toBe(false);
    expect(toApplicationFailure('plain string').message).toBe('plain string');
  });

  it('lists exactly the non-retryable classes in NON_RETRYABLE_ERROR_TYPES', () => {
    const nonRetryable = new Set(cases.filter((c) => !c.retryable).map((c) => c.cls.name));
    for (const name of nonRetryable) expect(NON_RETRYABLE_ERROR_TYPES).toContain(name);
    for (const name of new Set(cases.filter((c) => c.retryable).map((c) => c.cls.name))) {
      expect(NON_RETRYABLE_ERROR_TYPES).not.toContain(name);
    }
    expect(NON_RETRYABLE_ERROR_TYPES).not.toContain('CloroConnectionError');
  });
});
