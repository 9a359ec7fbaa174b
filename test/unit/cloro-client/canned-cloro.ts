/**
 * A canned HTTP server standing in for cloro, for the client's wire-contract tests: each test
 * sets the next answer (or a hang) and reads what the client sent. A fresh server (and so a
 * fresh origin) per test: fetch pools sockets per origin, and a socket a previous test left
 * hanging must not leak into the next one.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloroClient } from '../../../src/cloro/client';

export const API_KEY = 'sk_live_1234567890abcdef1234567890abcdef';

export interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** What the canned server does with the next requests: answer, or hold the connection open. */
export type Reply =
  { status?: number; json?: unknown; raw?: string; headers?: Record<string, string> } | { hang: 'before-headers' | 'mid-body' };

export interface CannedCloro {
  /** The answer to every request from now on. */
  reply: Reply;
  /** The requests received in this test, in order. */
  readonly seen: Seen[];
  readonly baseURL: string;
  /** A client of this server with the test key and a 2 s timeout, unless overridden. */
  client(overrides?: Partial<ConstructorParameters<typeof CloroClient>[0]>): CloroClient;
}

/** Registers the server's per-test start and stop; read and set the returned object inside tests. */
export function useCannedCloro(): CannedCloro {
  let server: http.Server;
  const canned = {
    reply: {} as Reply,
    seen: [] as Seen[],
    baseURL: '',
    client: (overrides: Partial<ConstructorParameters<typeof CloroClient>[0]> = {}) =>
      new CloroClient({ apiKey: API_KEY, baseURL: canned.baseURL, timeout: 2_000, ...overrides }),
  };

  beforeEach(async () => {
    canned.seen = [];
    canned.reply = { status: 500, json: { error: 'no reply configured' } };
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        canned.seen.push({
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        const { reply } = canned;
        if ('hang' in reply) {
          if (reply.hang === 'mid-body') {
            res.writeHead(200, { 'content-type': 'application/json' });
            res.write('{"task":');
          }
          return;
        }
        const body = reply.raw ?? JSON.stringify(reply.json);
        res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    canned.baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    // Hanging replies leave sockets open; drop them so close() can finish.
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  return canned;
}

/** The error a call failed with; fails the test when the call succeeds. */
export async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

/** A port that was just free: connecting to it is refused. */
export async function closedPortURL(): Promise<string> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
