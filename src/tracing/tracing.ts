/**
 * OpenTelemetry tracing for one process (a CLI command or a worker), off unless config turns
 * it on. Temporal's OpenTelemetry plugin does the propagation: the client interceptor puts
 * the start span's context in the workflow's headers, the workflow interceptors (bundled
 * into the workflow code, their spans leaving the sandbox through a sink) pass it on to each
 * activity, and the activity span is the active context the cloro HTTP span
 * (`src/cloro/trace.ts`) hangs from. Spans go to a collector over OTLP/HTTP.
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OpenTelemetryPlugin } from '@temporalio/interceptors-opentelemetry';
import { version } from '../../package.json';
import type { Config } from '../config';

export interface Tracing {
  /** For `new Client({ plugins })`, `Worker.create({ plugins })` and `bundleWorkflowCode({ plugins })` alike. */
  plugin: OpenTelemetryPlugin;
  /** Sends what is still buffered, then stops; call it once the worker stopped or the command ended. */
  shutdown(): Promise<void>;
}

/**
 * Registers a global tracer provider (the activity interceptor and the cloro client use the
 * global API) and returns the plugin; undefined when tracing is off. Once per process.
 */
export function startTracing(settings: Config['tracing'], defaultServiceName: string): Tracing | undefined {
  if (!settings.enabled) return undefined;
  const resource = new Resource({ 'service.name': settings.serviceName ?? defaultServiceName, 'service.version': version });
  const spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter({ url: tracesUrl(settings.otlpEndpoint) }));
  const provider = new BasicTracerProvider({ resource, spanProcessors: [spanProcessor] });
  // Without a real context manager `context.with` is a no-op, and nothing started inside an activity would have a parent.
  provider.register({ contextManager: new AsyncLocalStorageContextManager().enable() });
  return {
    plugin: new OpenTelemetryPlugin({ resource, spanProcessor }),
    async shutdown() {
      await provider.shutdown();
      // Unregistered, so that a later start in this process (tests, a second stack) can register its own.
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

/** OTEL_EXPORTER_OTLP_ENDPOINT is a base for every signal: traces go to `<base>/v1/traces`, as the spec says. */
function tracesUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}
