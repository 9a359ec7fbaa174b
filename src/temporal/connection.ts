/**
 * How we reach Temporal, from Config: the embedded/local dev server (plain gRPC on
 * 127.0.0.1:7233), any self-hosted cluster (`TEMPORAL_ADDRESS`, optionally mTLS from
 * `TEMPORAL_TLS_CERT`/`_KEY`/`_CA` files), or Temporal Cloud (`TEMPORAL_API_KEY`, which
 * implies TLS) — each also from a Temporal envconfig profile (`TEMPORAL_PROFILE`), which
 * our variables override. Secrets (API key, key file contents) never reach a log line or an error.
 */
import { readFileSync } from 'node:fs';
import { Client, type ClientPlugin, Connection, type ConnectionOptions, type TLSConfig } from '@temporalio/client';
import { toClientOptions } from '@temporalio/envconfig';
import { NativeConnection } from '@temporalio/worker';
import { dataConverterOption } from '../codec/data-converter';
import { type Config, ConfigError } from '../config';

export const DEFAULT_TEMPORAL_ADDRESS = '127.0.0.1:7233';

/** What both Connection.connect (client) and NativeConnection.connect (worker) accept. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig | boolean;
  apiKey?: string;
  /** gRPC headers from the profile's `grpc_meta`. */
  metadata?: Record<string, string>;
}

export interface ConnectOverrides {
  /** Where the launcher actually started or found a server, when not cfg.temporal.address. */
  address?: string;
  /** How long connecting may take before TemporalUnavailableError (SDK default 10 s). */
  connectTimeoutMs?: number;
}

export function temporalConnectionOptions(cfg: Config, overrides: ConnectOverrides = {}): TemporalConnectionOptions {
  const t = cfg.temporal;
  const options: TemporalConnectionOptions = { address: overrides.address ?? t.address ?? DEFAULT_TEMPORAL_ADDRESS };
  // TLS files in env replace the profile's TLS as a whole: a mix of the two would be a guess.
  const tls = tlsFromFiles(t.tls) ?? (t.profile ? toClientOptions(t.profile.settings).connectionOptions.tls : undefined);
  if (tls !== undefined && tls !== null) options.tls = tls;
  if (t.profile?.settings.grpcMeta) options.metadata = t.profile.settings.grpcMeta;
  if (t.apiKey) {
    options.apiKey = t.apiKey;
    // Temporal Cloud only accepts API keys over TLS; the system trust store verifies it.
    options.tls ??= true;
  }
  return options;
}

/** mTLS material from files; a missing or unreadable file names its variable. */
function tlsFromFiles(files: Config['temporal']['tls']): TLSConfig | undefined {
  if (!files.cert && !files.key && !files.ca) return undefined;
  if (Boolean(files.cert) !== Boolean(files.key)) {
    throw new ConfigError(
      `${files.cert ? 'TEMPORAL_TLS_KEY' : 'TEMPORAL_TLS_CERT'}: must be set together with ${files.cert ? 'TEMPORAL_TLS_CERT' : 'TEMPORAL_TLS_KEY'} (client certificate and its key)`,
    );
  }
  const tls: TLSConfig = {};
  if (files.cert && files.key) {
    tls.clientCertPair = { crt: readPem('TEMPORAL_TLS_CERT', files.cert), key: readPem('TEMPORAL_TLS_KEY', files.key) };
  }
  if (files.ca) tls.serverRootCACertificate = readPem('TEMPORAL_TLS_CA', files.ca);
  return tls;
}

function readPem(variable: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (code ?? 'unreadable');
    throw new ConfigError(`${variable}: cannot read ${file} (${why})`);
  }
}

/** For log lines: where and how we connect, never the key itself. */
export function describeTemporalTarget(cfg: Config, overrides: ConnectOverrides = {}): string {
  const t = cfg.temporal;
  const profileTls = t.profile?.settings.tls;
  const auth = [t.apiKey ? 'api key' : undefined, t.tls.cert || profileTls?.clientCert ? 'mTLS' : undefined].filter(Boolean);
  const tls = t.apiKey || t.tls.cert || t.tls.ca || (profileTls && !profileTls.disabled) ? 'tls' : 'plaintext';
  const profile = t.profile ? ` profile=${t.profile.name}` : '';
  return `${overrides.address ?? t.address ?? DEFAULT_TEMPORAL_ADDRESS} namespace=${t.namespace} ${tls}${auth.length ? ` (${auth.join(', ')})` : ''}${profile}`;
}

/**
 * A client on cfg's namespace, encrypting payloads when keys are configured (and with
 * `plugins`, e.g. tracing's); the caller closes `client.connection`.
 */
export async function connectClient(cfg: Config, overrides: ConnectOverrides = {}, plugins: ClientPlugin[] = []): Promise<Client> {
  const options = temporalConnectionOptions(cfg, overrides);
  const timeout = overrides.connectTimeoutMs === undefined ? {} : { connectTimeout: overrides.connectTimeoutMs };
  const connection = await connectOrClose({ ...options, ...timeout }).catch((err: unknown) => {
    throw unreachable(cfg, overrides, err);
  });
  return new Client({ connection, namespace: cfg.temporal.namespace, plugins, ...dataConverterOption(cfg) });
}

/**
 * Connection.connect, except that a connection which fails to come up is closed: the SDK
 * leaves its channel reconnecting in the background, which keeps the process alive.
 */
export async function connectOrClose(options: ConnectionOptions): Promise<Connection> {
  const connection = Connection.lazy(options);
  try {
    await connection.ensureConnected();
    return connection;
  } catch (err) {
    await connection.close().catch(() => undefined);
    throw err;
  }
}

/** The worker-side connection (Rust core); the caller closes it after the worker stops. */
export async function connectWorker(cfg: Config, overrides: ConnectOverrides = {}): Promise<NativeConnection> {
  const options = temporalConnectionOptions(cfg, overrides);
  return NativeConnection.connect(options).catch((err: unknown) => {
    throw unreachable(cfg, overrides, err);
  });
}

/** Raised when the server cannot be reached or refuses us; names the target, not the secrets. */
export class TemporalUnavailableError extends Error {
  override name = 'TemporalUnavailableError';
}

function unreachable(cfg: Config, overrides: ConnectOverrides, err: unknown): TemporalUnavailableError {
  const why = err instanceof Error ? err.message : String(err);
  const hint = cfg.temporal.address || overrides.address ? '' : ' (start one with `npm start`, or set TEMPORAL_ADDRESS)';
  return new TemporalUnavailableError(`cannot reach Temporal at ${describeTemporalTarget(cfg, overrides)}: ${redact(why, cfg)}${hint}`, {
    cause: err,
  });
}

/** Belt and braces: an SDK error message should never echo the key, but make sure. */
function redact(text: string, cfg: Config): string {
  const key = cfg.temporal.apiKey;
  return key ? text.split(key).join('<redacted>') : text;
}
