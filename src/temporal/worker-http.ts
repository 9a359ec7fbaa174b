/**
 * The worker process's own small HTTP server, for the container orchestrator: `/healthz`
 * (the process answers) and `/readyz` (both workers are polling — 503 before they run and
 * while they drain after SIGTERM, so a load balancer or compose stops counting on them).
 * Plain node:http: a couple of GET routes need no framework.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WorkerHttpOptions {
  /** 0 picks a free port (tests). */
  port: number;
  /** Loopback unless a container asks for 0.0.0.0. */
  host: string;
  /** True while the workers poll their task queues. */
  ready: () => boolean;
}

export interface RunningWorkerHttp {
  url: string;
  close(): Promise<void>;
}

export async function startWorkerHttp(options: WorkerHttpOptions): Promise<RunningWorkerHttp> {
  const server = http.createServer((request, response) => {
    const answer = (status: number, body: object): void => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (request.method !== 'GET') return answer(405, { error: 'method not allowed' });
    if (request.url === '/healthz') return answer(200, { status: 'ok' });
    if (request.url === '/readyz') return options.ready() ? answer(200, { status: 'ok' }) : answer(503, { status: 'unavailable' });
    return answer(404, { error: 'not found' });
  });
  // Probes are one short request each; an idle keep-alive socket must not hold close() up.
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
