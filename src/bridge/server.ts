/**
 * Listening, timeouts and a graceful close for the bridge app; nothing else lives here.
 */
import { buildBridge, type BridgeDeps } from './app';

/** Options of {@link startBridge}: the bridge's own plus where to listen. */
export interface StartBridgeOptions extends BridgeDeps {
  /** 0 picks a free port (tests). */
  port: number;
  /** Defaults to loopback; a container passes 0.0.0.0. */
  host?: string;
  /** How long close() lets in-flight deliveries finish before dropping their connections. */
  closeGraceMs?: number;
}

/** A listening standalone bridge. */
export interface RunningBridge {
  /** Base URL the server listens on, e.g. http://127.0.0.1:8787 */
  url: string;
  /** Stops accepting, lets in-flight requests finish (bounded), then resolves. Idempotent. */
  close(): Promise<void>;
}

/** Runs the standalone bridge (webhook route, `/healthz`, `/readyz`) on its own port. */
export async function startBridge(options: StartBridgeOptions): Promise<RunningBridge> {
  const { port, host = '127.0.0.1', closeGraceMs = 10_000, ...deps } = options;
  const app = buildBridge(deps);

  // A slow or stalled sender must not hold a socket for ever; a delivery is one small request.
  app.server.headersTimeout = 10_000;
  app.server.requestTimeout = 30_000;
  app.server.keepAliveTimeout = 5_000;

  const url = await app.listen({ port, host });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      // app.close() stops accepting, drops idle keep-alive sockets and waits for in-flight
      // requests (each answered only after Temporal accepted its signal); bound that wait.
      const grace = setTimeout(() => app.server.closeAllConnections(), closeGraceMs);
      grace.unref();
      try {
        await app.close();
      } finally {
        clearTimeout(grace);
      }
    })();
    return closing;
  };

  return { url, close };
}
