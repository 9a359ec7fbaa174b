/**
 * Listening and a graceful close for the codec server app; nothing else lives here. Without
 * a token it listens on loopback only (unless told otherwise): anyone who reaches it can decrypt.
 */
import { buildCodecServer, type CodecServerDeps } from './app';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

export interface StartCodecServerOptions extends CodecServerDeps {
  /** 0 picks a free port (tests). */
  port: number;
  /** Defaults to loopback; another address needs a token or `allowUnauthenticated`. */
  host?: string;
  /**
   * Listen beyond loopback without a token: only where something else keeps it private (a
   * container whose port is published on the host's loopback, as the compose stack does).
   */
  allowUnauthenticated?: boolean;
}

export interface RunningCodecServer {
  /** Base URL, e.g. http://127.0.0.1:8888: the Web UI's codec endpoint. */
  url: string;
  close(): Promise<void>;
}

/** Thrown before listening when the options would expose decryption to the network. */
export class CodecServerExposedError extends Error {
  override name = 'CodecServerExposedError';
}

export async function startCodecServer(options: StartCodecServerOptions): Promise<RunningCodecServer> {
  const { port, host = '127.0.0.1', allowUnauthenticated = false, ...deps } = options;
  if (deps.token === undefined && !allowUnauthenticated && !LOOPBACK_HOSTS.has(host)) {
    throw new CodecServerExposedError(`the codec server decrypts for anyone who reaches it: listening on ${host} needs a token`);
  }
  const app = buildCodecServer(deps);
  // The UI's requests are small and short; a stalled client must not hold a socket.
  app.server.headersTimeout = 10_000;
  app.server.requestTimeout = 30_000;
  const url = await app.listen({ port, host });
  let closing: Promise<void> | undefined;
  return {
    url,
    close() {
      closing ??= app.close();
      return closing;
    },
  };
}
