/**
 * A stand-in for an OpenTelemetry collector: a Fastify app on loopback taking OTLP/HTTP JSON
 * trace exports (what `@opentelemetry/exporter-trace-otlp-http` sends) and keeping them, raw
 * (to search for leaks) and as spans.
 */
import Fastify from 'fastify';

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: { key: string; value: { stringValue?: string; intValue?: string | number } }[];
  /** The exporting process's `service.name`. */
  service: string;
}

interface OtlpExport {
  resourceSpans: {
    resource?: { attributes?: OtlpSpan['attributes'] };
    scopeSpans: { spans: Omit<OtlpSpan, 'service'>[] }[];
  }[];
}

export interface OtlpReceiver {
  /** The base to give as OTEL_EXPORTER_OTLP_ENDPOINT. */
  url: string;
  bodies: string[];
  spans(): OtlpSpan[];
  close(): Promise<void>;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const bodies: string[] = [];
  const app = Fastify();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.post('/v1/traces', async (req) => {
    bodies.push(req.body as string);
    return {};
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    bodies,
    spans: () =>
      bodies.flatMap((body) =>
        (JSON.parse(body) as OtlpExport).resourceSpans.flatMap((r) => {
          const service = r.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
          return r.scopeSpans.flatMap((s) => s.spans.map((span) => ({ ...span, service })));
        }),
      ),
    close: () => app.close(),
  };
}

export function spanAttribute(span: OtlpSpan, key: string) {
  return span.attributes?.find((a) => a.key === key)?.value;
}
