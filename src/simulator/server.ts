/** Thin server: listen, report the URL, close everything on the way out. */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildSimulator } from './app';
import type { Simulator, SimulatorDeps } from './engine';
import type { SimulatorOptionsInput } from './options';

export interface RunningSimulator {
  /** Base URL to give a cloro client, e.g. http://127.0.0.1:4010. */
  url: string;
  sim: Simulator;
  app: FastifyInstance;
  /** Stops timers and pending webhooks, then the HTTP server. Safe to call twice. */
  close(): Promise<void>;
}

/** Listens on `host:port` (port 0 = any free port). */
export async function startSimulator(input?: SimulatorOptionsInput, deps?: SimulatorDeps): Promise<RunningSimulator> {
  const { app, sim } = buildSimulator(input, deps);
  const { host, port } = sim.options;
  try {
    await app.listen({ host, port });
  } catch (err) {
    await app.close();
    throw err;
  }
  const { port: actualPort } = app.server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;
  let closing: Promise<void> | undefined;
  return { url, sim, app, close: () => (closing ??= app.close()) };
}
