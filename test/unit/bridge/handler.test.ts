/**
 * The framework-free handler's inputs that the host suite (webhook.test.ts) does not reach:
 * bodies a framework already read, other mount paths, a stream someone else consumed.
 */
import { Readable } from 'node:stream';
import { createCloroWebhookHandler } from '../../../src/package/bridge';
import { callbackToken } from '../../../src/bridge/token';
import { BRIDGE_SECRET, capturedLogger, recordingNotifier, taskDocument } from './fixtures';

const token = callbackToken(BRIDGE_SECRET, 'wf-1');
const raw = JSON.stringify(taskDocument());

describe('createCloroWebhookHandler', () => {
  it.each([
    ['a string (express.text)', raw],
    ['a Buffer (express.raw)', Buffer.from(raw)],
    ['a Uint8Array', new TextEncoder().encode(raw)],
    ['a web stream', Readable.toWeb(Readable.from([Buffer.from(raw)])) as AsyncIterable<Uint8Array>],
  ])('takes the body as %s', async (_name, body) => {
    const notifier = recordingNotifier();
    const handle = createCloroWebhookHandler({ notifier, bridgeSecret: BRIDGE_SECRET });
    const answer = await handle({ method: 'POST', url: `/webhooks/cloro/wf-1/${token}`, headers: {}, body });
    expect([answer.status, answer.body]).toEqual([200, '{"outcome":"signalled"}']);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(notifier.calls).toHaveLength(1);
  });

  it('serves any mount path given as routePath (a trailing slash too) and ignores the query string', async () => {
    const handle = createCloroWebhookHandler({
      notifier: recordingNotifier(),
      bridgeSecret: BRIDGE_SECRET,
      routePath: '/api/webhooks/cloro/',
    });
    const request = (url: string) => handle({ method: 'POST', url, headers: {}, body: raw });
    expect((await request(`/api/webhooks/cloro/wf-1/${token}?attempt=2`)).status).toBe(200);
    expect((await request(`/webhooks/cloro/wf-1/${token}`)).status).toBe(404);
  });

  it('answers a body stream that was already read with a bare 500, the reason in the log only', async () => {
    const { logger, text } = capturedLogger();
    const handle = createCloroWebhookHandler({ notifier: recordingNotifier(), bridgeSecret: BRIDGE_SECRET, logger });
    const body = Readable.from([Buffer.from(raw)]);
    await body.toArray();
    const answer = await handle({ method: 'POST', url: `/webhooks/cloro/wf-1/${token}`, headers: {}, body });
    expect([answer.status, answer.body]).toEqual([500, '{"error":"internal error"}']);
    expect(text()).toContain('already read');
  });
});
