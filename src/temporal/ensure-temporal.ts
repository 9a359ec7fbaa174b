/**
 * Which Temporal a process uses: `TEMPORAL_ADDRESS` when configured, else a server already
 * running locally, else the embedded dev server (dev-server.ts) started for it; our search
 * attributes are registered on whichever it is.
 */
import type { Config } from '../config';
import { connectClient, DEFAULT_TEMPORAL_ADDRESS, describeTemporalTarget } from './connection';
import { type DevServer, DevServerError, startDevServer } from './dev-server';
import { type LauncherLog, silentLog } from './log';
import { isListening, splitAddress } from './ports';
import { ensureSearchAttributes, SearchAttributeError } from './search-attributes';

export type TemporalSource = 'TEMPORAL_ADDRESS' | 'running-local' | 'embedded';

export interface TemporalHandle {
  address: string;
  namespace: string;
  uiUrl: string | undefined;
  /** Configured cluster, a server already running on 127.0.0.1:7233, or the one we started. */
  source: TemporalSource;
  /** Only set when we started it. */
  devServer: DevServer | undefined;
  /** Stops the embedded server if we started it; otherwise does nothing. */
  stop(): Promise<void>;
}

export interface EnsureTemporalOptions {
  /** Web UI for the embedded server (default true). */
  ui?: boolean;
  /**
   * Where to look for a running server and, if none answers, where the embedded one
   * listens. Default 127.0.0.1:7233; its Web UI goes 1000 above (or to a free port).
   */
  localAddress?: string;
  uiPort?: number;
  readyTimeoutMs?: number;
  log?: LauncherLog;
}

/**
 * The Temporal to use: `TEMPORAL_ADDRESS` when set (must answer); else a server already
 * answering at 127.0.0.1:7233; else the embedded dev server. Our search attributes are
 * registered on whichever it is.
 */
export async function ensureTemporal(cfg: Config, options: EnsureTemporalOptions = {}): Promise<TemporalHandle> {
  const log = options.log ?? silentLog;
  const namespace = cfg.temporal.namespace;

  if (cfg.temporal.address) {
    log.debug(`temporal: using TEMPORAL_ADDRESS ${describeTemporalTarget(cfg)}`);
    await adoptServer(cfg, cfg.temporal.address, log);
    return external(cfg.temporal.address, namespace, undefined, 'TEMPORAL_ADDRESS');
  }

  const localAddress = options.localAddress ?? DEFAULT_TEMPORAL_ADDRESS;
  const { host, port } = splitAddress(localAddress);
  if (await isRunning(localAddress, log)) {
    await adoptServer(cfg, localAddress, log);
    const uiUrl = (await isListening(host, port + 1000)) ? `http://${host}:${port + 1000}` : undefined;
    return external(localAddress, namespace, uiUrl, 'running-local');
  }

  const devServer = await startDevServer({
    home: cfg.home,
    port,
    // Unset → 8233 (port + 1000) when free, else any free port.
    ...(options.uiPort !== undefined ? { uiPort: options.uiPort } : {}),
    ui: options.ui ?? true,
    namespace,
    cliPath: cfg.temporal.cliPath,
    ...(options.readyTimeoutMs !== undefined ? { readyTimeoutMs: options.readyTimeoutMs } : {}),
    log,
  });
  return {
    address: devServer.address,
    namespace,
    uiUrl: devServer.uiUrl,
    source: 'embedded',
    devServer,
    stop: () => devServer.stop(),
  };
}

/** Anything accepting connections there is taken for a Temporal frontend; adoptServer checks. */
async function isRunning(address: string, log: LauncherLog): Promise<boolean> {
  const { host, port } = splitAddress(address);
  const listening = await isListening(host, port);
  log.debug(`temporal: ${address} ${listening ? 'accepts connections; using that server' : 'is free; starting the embedded server'}`);
  return listening;
}

/** Connects with cfg's credentials and makes sure our search attributes exist there. */
async function adoptServer(cfg: Config, address: string, log: LauncherLog): Promise<void> {
  const client = await connectClient(cfg, { address });
  try {
    const result = await ensureSearchAttributes(client.connection, cfg.temporal.namespace).catch((err: unknown) => {
      if (err instanceof SearchAttributeError) throw err;
      throw new DevServerError(
        `the server at ${address} does not look like a usable Temporal frontend: ${err instanceof Error ? err.message : String(err)}`,
        {
          cause: err,
        },
      );
    });
    log.debug(`temporal: search attributes at ${address}: added [${result.added.join(', ')}]`);
  } finally {
    await client.connection.close();
  }
}

function external(address: string, namespace: string, uiUrl: string | undefined, source: TemporalSource): TemporalHandle {
  return { address, namespace, uiUrl, source, devServer: undefined, stop: async () => undefined };
}
