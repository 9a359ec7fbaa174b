/**
 * A client span around each call to cloro, child of whatever span is active (the activity's,
 * when tracing is on; without a registered tracer provider the API is a no-op and this costs
 * nothing). Attributes name the call, never its content: no body (prompt text), no headers
 * (the API key), no query string, and a route template rather than the task id in the name.
 */
import { type Attributes, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { version } from '../../package.json';

const tracer = trace.getTracer('cloro-temporal/cloro-client', version);

/** Runs `call` (fetch + body read) in a span named `cloro GET /v1/async/task/{id}`; records the HTTP status it returns. */
export async function traceCloroCall<T extends { res: Response }>(
  method: string,
  path: string,
  baseURL: string,
  call: () => Promise<T>,
): Promise<T> {
  const route = routeOf(path);
  const attributes: Attributes = { 'http.request.method': method, 'url.template': route, 'server.address': new URL(baseURL).host };
  return tracer.startActiveSpan(`cloro ${method} ${route}`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    try {
      const result = await call();
      span.setAttribute('http.response.status_code', result.res.status);
      const requestId = result.res.headers.get('x-request-id');
      if (requestId) span.setAttribute('cloro.request_id', requestId);
      if (result.res.status >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
      return result;
    } catch (err) {
      // The type only: a transport message could quote the URL we were given, and it is in the logs anyway.
      span.setAttribute('error.type', err instanceof Error ? err.name : 'unknown');
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** `/v1/async/task/tsk_1?x=y` → `/v1/async/task/{id}`: span names must not grow with every task. */
export function routeOf(path: string): string {
  const bare = path.split('?')[0] ?? path;
  return /^\/v1\/async\/task\/(?!batch$)[^/]+$/.test(bare) ? '/v1/async/task/{id}' : bare;
}
