import { DEFAULT_OTLP_ENDPOINT, loadConfig } from '../../../src/config';

describe('tracing config', () => {
  it('is off with nothing set', () => {
    expect(loadConfig({}).tracing).toEqual({ enabled: false, otlpEndpoint: DEFAULT_OTLP_ENDPOINT, serviceName: undefined });
  });

  it('turns on with the standard OTLP endpoint alone, unless CLORO_TRACING=off', () => {
    const endpoint = 'http://collector:4318';
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }).tracing).toMatchObject({ enabled: true, otlpEndpoint: endpoint });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, CLORO_TRACING: 'off' }).tracing.enabled).toBe(false);
  });

  it('turns on with CLORO_TRACING=otlp, sending to a collector on localhost by default', () => {
    expect(loadConfig({ CLORO_TRACING: 'otlp', OTEL_SERVICE_NAME: 'svc' }).tracing).toEqual({
      enabled: true,
      otlpEndpoint: DEFAULT_OTLP_ENDPOINT,
      serviceName: 'svc',
    });
  });

  it('names the variable and the choices for an unknown mode or an endpoint that is not an http URL', () => {
    expect(() => loadConfig({ CLORO_TRACING: 'jaeger' })).toThrow(/^CLORO_TRACING: must be one of off, otlp$/);
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317' })).toThrow(
      /^OTEL_EXPORTER_OTLP_ENDPOINT: must be an http\(s\) URL/,
    );
  });
});
