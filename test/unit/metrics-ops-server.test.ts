import { startOpsServer } from '../../src/metrics/ops-server';

describe('startOpsServer', () => {
  it('answers /healthz always and /readyz only while the workers run', async () => {
    let running = false;
    const server = await startOpsServer({ port: 0, host: '127.0.0.1', ready: () => running });
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
      running = true;
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ok' });
      expect((await fetch(`${server.url}/other`)).status).toBe(404);
      expect((await fetch(`${server.url}/healthz`, { method: 'POST' })).status).toBe(405);
    } finally {
      await server.close();
    }
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});
