/**
 * A process's operations endpoint, apart from any public port: `/healthz` (the process
 * answers), `/readyz` (it can do its work — for the worker, both workers polling, so it turns
 * 503 before they run and while they drain after SIGTERM) and `/metrics` (the Prometheus
 * text of the project's series). Plain node:http: three GET routes need no framework.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface OpsServerOptions {
  /** 0 picks a free port (tests). */
  port: number;
  /** Loopback unless a container asks for 0.0.0.0. */
  host: string;
  /** Readiness, asked on every `/readyz`. */
  ready: () => boolean | Promise<boolean>;
  /** Served on `/metrics`; without it that path is a 404. */
  registry?: Registry;
}

export interface RunningOpsServer {
  url: string;
  close(): Promise<void>;
}

export async function startOpsServer(options: OpsServerOptions): Promise<RunningOpsServer> {
  const server = http.createServer((request, response) => {
    const answer = (status: number, body: string, contentType = 'application/json'): void => {
      response.writeHead(status, { 'content-type': contentType }).end(body);
    };
    const route = async (): Promise<void> => {
      if (request.method !== 'GET') return answer(405, JSON.stringify({ error: 'method not allowed' }));
      if (request.url === '/healthz') return answer(200, JSON.stringify({ status: 'ok' }));
      if (request.url === '/readyz') {
        const ready = await options.ready();
        return answer(ready ? 200 : 503, JSON.stringify({ status: ready ? 'ok' : 'unavailable' }));
      }
      if (request.url === '/metrics' && options.registry)
        return answer(200, await options.registry.metrics(), options.registry.contentType);
      return answer(404, JSON.stringify({ error: 'not found' }));
    };
    route().catch(() => answer(500, JSON.stringify({ error: 'internal error' })));
  });
  // Probes and scrapes are one short request each; an idle keep-alive socket must not hold close() up.
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
