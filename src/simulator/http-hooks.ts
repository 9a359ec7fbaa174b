/**
 * What runs before every cloro route, in the order a real request meets it: the network
 * (slow responses, injected gateway errors), then auth, then the rate limit.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { authenticate } from './auth';
import type { Simulator } from './engine';
import type { ErrorFault } from './faults';
import { RateLimiter } from './rate-limit';
import { SimError } from './sim-error';

/** "METHOD /route/:pattern": the key fault rules and request stats use. */
export function routeKeyOf(request: FastifyRequest): string {
  return `${request.method} ${request.routeOptions.url ?? request.url}`;
}

/** Where the client reached us; result links point back there. */
export function contextOf(request: FastifyRequest): { baseUrl: string } {
  return { baseUrl: `${request.protocol}://${request.host}` };
}

// The code cloro uses with each status, for injected errors that do not name one.
const DEFAULT_CODES: Readonly<Record<number, string>> = {
  400: 'VALIDATION_ERROR',
  401: 'INVALID_OR_EXPIRED_API_KEY',
  403: 'INSUFFICIENT_PERMISSIONS',
  404: 'RESOURCE_NOT_FOUND',
  409: 'RESOURCE_CONFLICT',
  422: 'VALIDATION_ERROR',
  429: 'RATE_LIMIT_EXCEEDED',
  499: 'REQUEST_CANCELED',
  500: 'INTERNAL_SERVER_ERROR',
  502: 'EXTERNAL_SERVICE_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

function injectedError(fault: ErrorFault): SimError {
  // cloro's 503 carries Retry-After; its 429 does not.
  const retryAfter = fault.retryAfterSeconds ?? (fault.status === 503 ? 1 : undefined);
  return new SimError(
    fault.status,
    fault.code ?? DEFAULT_CODES[fault.status] ?? (fault.status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST'),
    fault.message ?? `Injected fault: HTTP ${fault.status}`,
    undefined,
    retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) },
  );
}

export function registerCloroHooks(app: FastifyInstance, sim: Simulator): void {
  const limiter = new RateLimiter(sim.options.rateLimitPerSecond, sim.clock);
  app.addHook('onRequest', async (request) => {
    const key = routeKeyOf(request);
    const slowMs = sim.faults.slowMs(key);
    if (slowMs > 0) await new Promise<void>((resolve) => sim.clock.afterReal(slowMs, resolve));
    const fault = sim.faults.error(key);
    if (fault) throw injectedError(fault);
    const apiKey = authenticate(request.headers.authorization, sim.options.apiKey);
    if (!limiter.allow(`${key} ${apiKey}`)) {
      throw new SimError(429, 'RATE_LIMIT_EXCEEDED', `More than ${sim.options.rateLimitPerSecond} requests per second on ${key}`);
    }
  });
}
