/**
 * The plugin inside a user's Fastify app changes nothing but the webhook route: the
 * user's routes keep their JSON parsing, error handler and 404 (the webhook suite itself
 * runs against this app in webhook.test.ts).
 */
import type { Client } from '@temporalio/client';
import Fastify, { type FastifyInstance } from 'fastify';
import { callbackUrl, cloroBridgePlugin } from '../../../src/package/bridge';
import { BRIDGE_SECRET, recordingNotifier, taskDocument } from './fixtures';
import { userApp } from './hosts';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe.each([[''], ['/hooks']])('a user’s Fastify app with the bridge plugin (prefix "%s")', (prefix) => {
  const build = () => (app = userApp({ notifier: recordingNotifier(), bridgeSecret: BRIDGE_SECRET }, prefix));

  it('still parses JSON on its own routes', async () => {
    const res = await build().inject({ method: 'POST', url: '/api/orders', payload: { id: 7 } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ received: { id: 7 } });
  });

  it('still answers malformed JSON on its own routes through its own error handler', async () => {
    const res = await build().inject({
      method: 'POST',
      url: '/api/orders',
      payload: '{oops',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toHaveProperty('userError');
  });

  it('keeps its own error handler for its own failures', async () => {
    const res = await build().inject({ method: 'GET', url: '/api/fail' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ userError: 'the user app failed' });
  });

  it('keeps its own 404, next to the webhook path too', async () => {
    const target = build();
    for (const url of ['/nope', `${prefix}/webhooks`, `${prefix}/webhooks/other/a/b`]) {
      const res = await target.inject({ method: 'POST', url, payload: '{}' });
      expect([url, res.statusCode, res.json()]).toEqual([url, 404, { userNotFound: true }]);
    }
  });
});

describe('cloroBridgePlugin options', () => {
  it('signals through a Temporal client given as `client`', async () => {
    const signals: unknown[][] = [];
    const client = {
      withDeadline: <T>(_deadline: number, fn: () => Promise<T>) => fn(),
      workflow: { getHandle: (workflowId: string) => ({ signal: async (...args: unknown[]) => void signals.push([workflowId, ...args]) }) },
    } as unknown as Client;
    app = Fastify();
    await app.register(cloroBridgePlugin, { client, bridgeSecret: BRIDGE_SECRET, prefix: '/api' });
    const url = new URL(callbackUrl('http://host.example/api', BRIDGE_SECRET, 'wf-1'));
    const res = await app.inject({ method: 'POST', url: url.pathname, payload: taskDocument() });
    expect(res.json()).toEqual({ outcome: 'signalled' });
    expect(signals).toEqual([
      ['wf-1', expect.objectContaining({ name: 'cloroTaskFinished' }), expect.objectContaining({ taskId: 'task_123' })],
    ]);
  });

  it('fails at registration without a client or a notifier', async () => {
    app = Fastify();
    await expect(app.register(cloroBridgePlugin, { bridgeSecret: BRIDGE_SECRET })).rejects.toThrow(/client.*notifier/);
  });

  it.each([
    ['empty', ''],
    ['31 bytes', 's'.repeat(31)],
    ['missing', undefined as unknown as string],
  ])('fails at registration with a bridge secret that is %s, since its tokens would be guessable', async (_name, bridgeSecret) => {
    app = Fastify();
    await expect(app.register(cloroBridgePlugin, { notifier: recordingNotifier(), bridgeSecret })).rejects.toThrow(/at least 32 bytes/);
  });
});
