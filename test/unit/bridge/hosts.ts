/**
 * Every way the webhook route can be served, behind one small interface, so the bridge's
 * suite runs unchanged against each: the standalone app, the plugin mounted in a user's
 * Fastify app (at the root and under a prefix) and the framework-free handler behind a
 * plain node:http server.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildBridge, type BridgeDeps } from '../../../src/bridge/app';
// The user-side hosts import what a user would: the package's public entry.
import { cloroBridgePlugin, createCloroWebhookHandler } from '../../../src/package/bridge';

export interface HostRequest {
  method: string;
  url: string;
  payload?: string | Buffer;
  headers?: Record<string, string>;
}

/** The part of an `inject()` response the tests read; the node:http host builds the same. */
export interface HostResponse {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  json(): any; // eslint-disable-line @typescript-eslint/no-explicit-any -- as inject() types it
}

export interface BridgeHost {
  request(request: HostRequest): Promise<HostResponse>;
  close(): Promise<void>;
}

export interface BridgeHostKind {
  name: string;
  /** Path prefix in front of `/webhooks/cloro` (the public base URL's path). */
  prefix: string;
  build(deps: BridgeDeps): Promise<BridgeHost>;
}

const injected = (app: FastifyInstance): BridgeHost => ({
  request: (req) => app.inject({ method: req.method as 'POST', url: req.url, payload: req.payload, headers: req.headers }),
  close: () => app.close(),
});

/**
 * A user's own app: its own logger with request logging on (Fastify's default), a small
 * body limit, a JSON route, its own error handler and 404. user-app.test.ts checks these survive the plugin.
 */
export function userApp(deps: BridgeDeps, prefix: string): FastifyInstance {
  const { logger, ...webhook } = deps;
  // A body limit far under the bridge's: the plugin's own limit must be the one that counts.
  const app = Fastify({ bodyLimit: 16 * 1024, ...(logger ? { loggerInstance: logger } : {}) });
  app.setErrorHandler((err: Error & { statusCode?: number }, _request, reply) =>
    reply.code(err.statusCode ?? 500).send({ userError: err.message }),
  );
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ userNotFound: true }));
  app.post('/api/orders', async (request) => ({ received: request.body }));
  app.get('/api/fail', async () => {
    throw new Error('the user app failed');
  });
  void app.register(cloroBridgePlugin, { ...webhook, ...(prefix ? { prefix } : {}) });
  return app;
}

/** The framework-free handler behind node:http, reached over a real socket. */
async function nodeHttpHost(deps: BridgeDeps): Promise<BridgeHost> {
  const handle = createCloroWebhookHandler(deps);
  const server = createServer((req, res) => {
    void handle({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: req }).then((answer) => {
      res.writeHead(answer.status, answer.headers).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    async request(req) {
      const res = await fetch(`${base}${req.url}`, { method: req.method, headers: req.headers, body: req.payload });
      const body = await res.text();
      return { statusCode: res.status, headers: Object.fromEntries(res.headers), body, json: () => JSON.parse(body) };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export const BRIDGE_HOSTS: BridgeHostKind[] = [
  { name: 'the standalone bridge app', prefix: '', build: async (deps) => injected(buildBridge(deps)) },
  { name: 'the plugin in a user’s Fastify app', prefix: '', build: async (deps) => injected(userApp(deps, '')) },
  { name: 'the plugin under a prefix in a user’s Fastify app', prefix: '/hooks', build: async (deps) => injected(userApp(deps, '/hooks')) },
  { name: 'the framework-free handler behind node:http', prefix: '', build: nodeHttpHost },
];
