/**
 * What only the standalone bridge app adds around the webhook route (whose suite,
 * webhook.test.ts, runs against every host): health, readiness, its 404, router errors
 * and the error handler for its other routes.
 */
import type { FastifyInstance } from 'fastify';
import { buildBridge, type BridgeDeps } from '../../../src/bridge/app';
import { callbackToken } from '../../../src/bridge/token';
import { BRIDGE_SECRET, recordingNotifier } from './fixtures';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

function bridge(overrides: Partial<BridgeDeps> = {}) {
  const notifier = overrides.notifier ?? recordingNotifier();
  app = buildBridge({ bridgeSecret: BRIDGE_SECRET, ...overrides, notifier });
  return { app, notifier: notifier as ReturnType<typeof recordingNotifier> };
}

describe('health, unknown routes and errors', () => {
  it('answers GET /healthz without touching Temporal', async () => {
    const notifier = { ...recordingNotifier(), ping: jest.fn(async () => Promise.reject(new Error('down'))) };
    const { app } = bridge({ notifier });
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
    expect(notifier.ping).not.toHaveBeenCalled();
  });

  it('reports readiness from the notifier’s ping', async () => {
    let up = true;
    const notifier = { ...recordingNotifier(), ping: async () => (up ? undefined : Promise.reject(new Error('down'))) };
    const { app } = bridge({ notifier });
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    up = false;
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'unavailable' });
  });

  it('answers 404 for unknown routes', async () => {
    const { app } = bridge();
    const res = await app.inject({ method: 'GET', url: '/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'not found' });
  });

  it('answers a malformed percent-encoding in the URL with a plain 400 that does not echo the URL', async () => {
    const { app } = bridge();
    const url = `/webhooks/cloro/%E0%A4%A/${callbackToken(BRIDGE_SECRET, 'wf-1')}`;
    const res = await app.inject({ method: 'POST', url, payload: '{}' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'bad request' });
  });

  it('hides the details of unexpected 5xx errors from the caller', async () => {
    const { app } = bridge();
    app.get('/boom', async () => {
      throw new Error('database password is hunter2');
    });
    const res = await app.inject({ method: 'GET', url: '/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: 'internal error' });
  });
});
