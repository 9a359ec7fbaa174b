/**
 * Environment → typed config, validated once at start. A bad value gives one line naming
 * the variable and the rule (see `formatZodError`), never a stack trace.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ClientConfigProfile } from '@temporalio/envconfig';
import { z } from 'zod';
import { type PayloadKey, PayloadKeyList } from './codec/payload-keys';
import { loadTemporalProfile } from './temporal/profile';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

/** HMAC-SHA256 keys shorter than its 32-byte output are guessable; generated secrets are 32 random bytes. */
export const MIN_BRIDGE_SECRET_BYTES = 32;

/** `off`, or spans sent over OTLP/HTTP (JSON) to a collector. */
export const TRACING_MODES = ['off', 'otlp'] as const;
/** The OpenTelemetry spec's default OTLP/HTTP endpoint: a collector on the same host. */
export const DEFAULT_OTLP_ENDPOINT = 'http://localhost:4318';

const port = z.coerce.number().int().min(0).max(65535);

/** The port Temporal's samples run their codec servers on. */
export const DEFAULT_CODEC_SERVER_PORT = 8888;
/** The Web UI of the dev server (`npm start`) and of the compose stack. */
export const DEFAULT_CODEC_SERVER_CORS_ORIGINS = [
  'http://localhost:8233',
  'http://127.0.0.1:8233',
  'http://localhost:8080',
  'http://127.0.0.1:8080',
];
/** A bearer token anyone could guess protects nothing; generated tokens are 32 random bytes. */
export const MIN_CODEC_SERVER_TOKEN_BYTES = 16;
/** Unset or blank → undefined: the server it configures is off. */
const optionalPort = optionalString.pipe(z.coerce.number<string | undefined>().int().min(0).max(65535).optional());

export const EnvSchema = z.object({
  CLORO_API_KEY: optionalString,
  CLORO_BASE_URL: optionalString.pipe(z.url().optional()),
  CLORO_WEBHOOK_SECRET: optionalString,
  CLORO_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  BRIDGE_PUBLIC_URL: optionalString.pipe(z.url().optional()),
  BRIDGE_PORT: port.default(8787),
  BRIDGE_SECRET: optionalString.refine((v) => v === undefined || Buffer.byteLength(v, 'utf8') >= MIN_BRIDGE_SECRET_BYTES, {
    message: `must be at least ${MIN_BRIDGE_SECRET_BYTES} bytes (unset it to use a generated one, or make one with: openssl rand -base64 32)`,
  }),
  TEMPORAL_ADDRESS: optionalString,
  TEMPORAL_NAMESPACE: optionalString,
  TEMPORAL_PROFILE: optionalString,
  TEMPORAL_CONFIG_FILE: optionalString,
  TEMPORAL_API_KEY: optionalString,
  TEMPORAL_TLS_CERT: optionalString,
  TEMPORAL_TLS_KEY: optionalString,
  TEMPORAL_TLS_CA: optionalString,
  TEMPORAL_CLI_PATH: optionalString,
  CLORO_TASK_QUEUE: z.string().min(1).default('cloro'),
  DATABASE_URL: optionalString,
  CLORO_TEMPORAL_HOME: optionalString,
  WORKER_HTTP_PORT: optionalPort,
  WORKER_SDK_METRICS_PORT: optionalPort,
  BRIDGE_METRICS_PORT: optionalPort,
  CLORO_TRACING: optionalString.pipe(z.enum(TRACING_MODES, { error: `must be one of ${TRACING_MODES.join(', ')}` }).optional()),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalString.pipe(
    z
      .url({ protocol: /^https?$/, error: "must be an http(s) URL (the collector's OTLP/HTTP base, e.g. http://collector:4318)" })
      .optional(),
  ),
  OTEL_SERVICE_NAME: optionalString,
  CLORO_DEPLOYMENT_NAME: optionalString,
  CLORO_BUILD_ID: optionalString,
  CLORO_PAYLOAD_KEYS: optionalString.pipe(PayloadKeyList.optional()),
  CLORO_PAYLOAD_KEYS_FILE: optionalString,
  CODEC_SERVER_PORT: port.default(DEFAULT_CODEC_SERVER_PORT),
  CODEC_SERVER_TOKEN: optionalString.refine((v) => v === undefined || Buffer.byteLength(v, 'utf8') >= MIN_CODEC_SERVER_TOKEN_BYTES, {
    message: `must be at least ${MIN_CODEC_SERVER_TOKEN_BYTES} bytes (make one with: openssl rand -hex 32)`,
  }),
  CODEC_SERVER_CORS_ORIGINS: z
    .string()
    .default(DEFAULT_CODEC_SERVER_CORS_ORIGINS.join(','))
    .transform((v) => v.split(/[\s,]+/).filter(Boolean))
    .pipe(z.array(z.url({ protocol: /^https?$/ }))),
});
export type Env = z.infer<typeof EnvSchema>;

export interface Config {
  cloro: {
    /** Unset → the embedded simulator is used. Never passed to workflows. */
    apiKey: string | undefined;
    baseURL: string | undefined;
    webhookSecret: string | undefined;
    timeoutMs: number;
  };
  bridge: { port: number; publicUrl: string | undefined; secret: string | undefined };
  temporal: {
    /** Unset (in env and profile) → the embedded dev server. */
    address: string | undefined;
    namespace: string;
    apiKey: string | undefined;
    /** The envconfig profile, when TEMPORAL_PROFILE or TEMPORAL_CONFIG_FILE chose one; its TLS and gRPC metadata apply unless env gives TLS files. */
    profile: { name: string; settings: ClientConfigProfile } | undefined;
    tls: { cert: string | undefined; key: string | undefined; ca: string | undefined };
    cliPath: string | undefined;
    taskQueue: string;
  };
  databaseUrl: string | undefined;
  /**
   * Operations endpoints, apart from any public port; unset → not served (local workers would
   * fight over one port): the worker's /healthz, /readyz and /metrics, the Temporal SDK's own
   * Prometheus endpoint in the worker, and the bridge's /metrics.
   */
  ops: { workerPort: number | undefined; sdkMetricsPort: number | undefined; bridgeMetricsPort: number | undefined };
  /**
   * OpenTelemetry tracing (CLI start → workflow → activities → cloro HTTP call); off unless
   * CLORO_TRACING=otlp, or OTEL_EXPORTER_OTLP_ENDPOINT is set and CLORO_TRACING is not `off`.
   */
  tracing: { enabled: boolean; otlpEndpoint: string; serviceName: string | undefined };
  /**
   * Worker Deployment Versioning: both set → the workers poll as version `name`/`buildId`;
   * neither → unversioned workers (as a dev stack wants).
   */
  deployment: { name: string; buildId: string } | undefined;
  /**
   * Payload encryption keys, current first (`CLORO_PAYLOAD_KEYS` or `CLORO_PAYLOAD_KEYS_FILE`);
   * unset → payloads are stored as plain JSON.
   */
  payloadKeys: PayloadKey[] | undefined;
  /** `codec-server`: port, bearer token (unset → none, loopback only) and the Web UI origins allowed by CORS. */
  codecServer: { port: number; token: string | undefined; corsOrigins: string[] };
  /** Local state: SQLite files, generated secrets, the binary cache. */
  home: string;
}

export const DEFAULT_CLORO_BASE_URL = 'https://api.cloro.dev';

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(formatZodError(parsed.error));
  const e = parsed.data;
  const profile = temporalProfile(e);
  return {
    cloro: { apiKey: e.CLORO_API_KEY, baseURL: e.CLORO_BASE_URL, webhookSecret: e.CLORO_WEBHOOK_SECRET, timeoutMs: e.CLORO_TIMEOUT_MS },
    bridge: { port: e.BRIDGE_PORT, publicUrl: e.BRIDGE_PUBLIC_URL, secret: e.BRIDGE_SECRET },
    temporal: {
      // Our variables win over the profile, field by field; `default` as the SDKs default it.
      address: e.TEMPORAL_ADDRESS ?? profile?.address,
      namespace: e.TEMPORAL_NAMESPACE ?? profile?.namespace ?? 'default',
      apiKey: e.TEMPORAL_API_KEY ?? profile?.apiKey,
      profile: profile && { name: e.TEMPORAL_PROFILE ?? 'default', settings: profile },
      tls: { cert: e.TEMPORAL_TLS_CERT, key: e.TEMPORAL_TLS_KEY, ca: e.TEMPORAL_TLS_CA },
      cliPath: e.TEMPORAL_CLI_PATH,
      taskQueue: e.CLORO_TASK_QUEUE,
    },
    databaseUrl: e.DATABASE_URL,
    ops: { workerPort: e.WORKER_HTTP_PORT, sdkMetricsPort: e.WORKER_SDK_METRICS_PORT, bridgeMetricsPort: e.BRIDGE_METRICS_PORT },
    tracing: {
      // The standard endpoint variable alone turns tracing on, as OpenTelemetry users expect; CLORO_TRACING=off wins.
      enabled: (e.CLORO_TRACING ?? (e.OTEL_EXPORTER_OTLP_ENDPOINT ? 'otlp' : 'off')) === 'otlp',
      otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT ?? DEFAULT_OTLP_ENDPOINT,
      serviceName: e.OTEL_SERVICE_NAME,
    },
    deployment: deployment(e),
    payloadKeys: payloadKeys(e),
    codecServer: { port: e.CODEC_SERVER_PORT, token: e.CODEC_SERVER_TOKEN, corsOrigins: e.CODEC_SERVER_CORS_ORIGINS },
    home: path.resolve(cwd, e.CLORO_TEMPORAL_HOME ?? '.cloro-temporal'),
  };
}

/** Half a version would make some workers versioned and the rest not: refuse it. */
function deployment(e: Env): Config['deployment'] {
  if (e.CLORO_DEPLOYMENT_NAME && e.CLORO_BUILD_ID) return { name: e.CLORO_DEPLOYMENT_NAME, buildId: e.CLORO_BUILD_ID };
  if (!e.CLORO_DEPLOYMENT_NAME && !e.CLORO_BUILD_ID) return undefined;
  const [missing, given] = e.CLORO_BUILD_ID ? ['CLORO_DEPLOYMENT_NAME', 'CLORO_BUILD_ID'] : ['CLORO_BUILD_ID', 'CLORO_DEPLOYMENT_NAME'];
  throw new ConfigError(`${missing}: must be set together with ${given} (a worker deployment version is a deployment name and a build id)`);
}

/** From the variable or the file; both set would leave a reader guessing which one encrypts. */
function payloadKeys(e: Env): PayloadKey[] | undefined {
  const file = e.CLORO_PAYLOAD_KEYS_FILE;
  if (file === undefined) return e.CLORO_PAYLOAD_KEYS;
  if (e.CLORO_PAYLOAD_KEYS !== undefined) throw new ConfigError('CLORO_PAYLOAD_KEYS_FILE: set either it or CLORO_PAYLOAD_KEYS, not both');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`CLORO_PAYLOAD_KEYS_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  const parsed = PayloadKeyList.safeParse(text);
  if (!parsed.success) throw new ConfigError(formatZodError(parsed.error, 'CLORO_PAYLOAD_KEYS_FILE'));
  return parsed.data;
}

function temporalProfile(e: Env): ClientConfigProfile | undefined {
  try {
    return loadTemporalProfile({ profile: e.TEMPORAL_PROFILE, configFile: e.TEMPORAL_CONFIG_FILE });
  } catch (err) {
    const variable = e.TEMPORAL_CONFIG_FILE === undefined ? 'TEMPORAL_PROFILE' : 'TEMPORAL_CONFIG_FILE';
    const where = e.TEMPORAL_CONFIG_FILE ?? 'the default config file';
    throw new ConfigError(
      `${variable}: cannot load Temporal profile "${e.TEMPORAL_PROFILE ?? 'default'}" from ${where} (${err instanceof Error ? err.message : String(err)})`,
    );
  }
}

/** A usage or configuration problem the user can fix; the CLI prints it as one line and exits 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** "FIELD: rule; OTHER: rule" — one line naming each offending field. */
export function formatZodError(error: z.ZodError, prefix = ''): string {
  return error.issues
    .map((issue) => {
      const where = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
      return where ? `${where}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
