/**
 * The bridge's webhook suite, run against every host the route can be mounted in
 * (hosts.ts): the standalone app, a user's Fastify app with the plugin (at the root and
 * under a prefix) and the framework-free handler behind node:http. App-level routes
 * (health, readiness, the app's 404) are in app.test.ts.
 */
import type { BridgeDeps } from '../../../src/bridge/app';
import { callbackToken, callbackUrl } from '../../../src/bridge/token';
import { signWebhook, WEBHOOK_ID_HEADER } from '../../../src/cloro/webhook-signature';
import { ANSWER_TEXT, BRIDGE_SECRET, capturedLogger, recordingNotifier, taskDocument, WEBHOOK_SECRET } from './fixtures';
import { BRIDGE_HOSTS, type BridgeHost } from './hosts';

const WORKFLOW_ID = 'cloro-prompt-abc123';
const NOW = 1_750_000_000;

describe.each(BRIDGE_HOSTS)('webhook route served by $name', ({ prefix, build }) => {
  const path = (workflowId = WORKFLOW_ID, token = callbackToken(BRIDGE_SECRET, workflowId)) =>
    `${prefix}/webhooks/cloro/${encodeURIComponent(workflowId)}/${token}`;

  let host: BridgeHost | undefined;
  afterEach(async () => {
    await host?.close();
    host = undefined;
  });

  async function bridge(overrides: Partial<BridgeDeps> = {}) {
    const notifier = overrides.notifier ?? recordingNotifier();
    host = await build({ bridgeSecret: BRIDGE_SECRET, nowSeconds: () => NOW, ...overrides, notifier });
    return { host, notifier: notifier as ReturnType<typeof recordingNotifier> };
  }

  function post(target: BridgeHost, url: string, body: string | Buffer, headers: Record<string, string> = {}) {
    return target.request({ method: 'POST', url, payload: body, headers: { 'content-type': 'application/json', ...headers } });
  }

  describe('webhook delivery without a signing secret', () => {
    it('signals the workflow with taskId, status and idempotencyKey and answers 200', async () => {
      const { host, notifier } = await bridge();
      const res = await post(host, path(), JSON.stringify(taskDocument()));
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ outcome: 'signalled' });
      expect(notifier.calls).toEqual([
        { workflowId: WORKFLOW_ID, signal: { taskId: 'task_123', status: 'COMPLETED', idempotencyKey: 'key-1' } },
      ]);
    });

    it('signals FAILED tasks too, and passes a missing idempotency key as null', async () => {
      const { host, notifier } = await bridge();
      const doc = { ...taskDocument({ status: 'FAILED', idempotencyKey: null }), response: { error: { code: 'X', message: 'y' } } };
      const res = await post(host, path(), JSON.stringify(doc));
      expect(res.statusCode).toBe(200);
      expect(notifier.calls[0]?.signal).toEqual({ taskId: 'task_123', status: 'FAILED', idempotencyKey: null });
    });

    it('accepts the callback URL built by callbackUrl, also for ids that need percent-encoding', async () => {
      const { host, notifier } = await bridge();
      const workflowId = 'cloro-prompt-a:b/c d-é';
      const url = new URL(callbackUrl(`http://bridge.example${prefix}/`, BRIDGE_SECRET, workflowId));
      const res = await post(host, url.pathname, JSON.stringify(taskDocument()));
      expect(res.statusCode).toBe(200);
      expect(notifier.calls[0]?.workflowId).toBe(workflowId);
    });

    it('accepts workflow ids longer than Fastify’s default 100-character parameter limit', async () => {
      const { host, notifier } = await bridge();
      const workflowId = `cloro-prompt-${'k'.repeat(300)}`;
      const res = await post(host, path(workflowId), JSON.stringify(taskDocument()));
      expect(res.statusCode).toBe(200);
      expect(notifier.calls[0]?.workflowId).toBe(workflowId);
    });

    it.each([['text/plain'], ['application/json; charset=utf-8'], ['application/octet-stream']])(
      'parses the body itself whatever the content type (%s)',
      async (contentType) => {
        const { host, notifier } = await bridge();
        const res = await post(host, path(), JSON.stringify(taskDocument()), { 'content-type': contentType });
        expect(res.statusCode).toBe(200);
        expect(notifier.calls).toHaveLength(1);
      },
    );

    it.each([['QUEUED'], ['PROCESSING']])('answers 200 and wakes nobody for a %s task', async (status) => {
      const { host, notifier } = await bridge();
      const res = await post(host, path(), JSON.stringify(taskDocument({ status })));
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ outcome: 'ignored' });
      expect(notifier.calls).toHaveLength(0);
    });

    it('answers 200 when the workflow is closed or unknown, so cloro stops retrying', async () => {
      const { host, notifier } = await bridge({ notifier: recordingNotifier('gone') });
      const res = await post(host, path(), JSON.stringify(taskDocument()));
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ outcome: 'gone' });
      expect(notifier.calls).toHaveLength(1);
    });

    it('answers 503 with Retry-After and no internals when Temporal is unreachable', async () => {
      const { host } = await bridge({ notifier: recordingNotifier(new Error('14 UNAVAILABLE: connect ECONNREFUSED 10.0.0.7:7233')) });
      const res = await post(host, path(), JSON.stringify(taskDocument()));
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('60');
      expect(res.body).not.toMatch(/UNAVAILABLE|ECONNREFUSED|7233/);
    });

    it('uses the configured Retry-After', async () => {
      const { host } = await bridge({ notifier: recordingNotifier(new Error('down')), retryAfterSeconds: 5 });
      const res = await post(host, path(), JSON.stringify(taskDocument()));
      expect(res.headers['retry-after']).toBe('5');
    });
  });

  describe('callback token', () => {
    it('rejects a wrong token with 401 and notifies nobody', async () => {
      const { host, notifier } = await bridge();
      const res = await post(host, path(WORKFLOW_ID, 'A'.repeat(43)), JSON.stringify(taskDocument()));
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ error: 'unauthorized' });
      expect(notifier.calls).toHaveLength(0);
    });

    it('rejects the valid token of another workflow', async () => {
      const { host, notifier } = await bridge();
      const res = await post(host, path(WORKFLOW_ID, callbackToken(BRIDGE_SECRET, 'cloro-prompt-other')), JSON.stringify(taskDocument()));
      expect(res.statusCode).toBe(401);
      expect(notifier.calls).toHaveLength(0);
    });

    it('rejects a token made with another bridge secret', async () => {
      const { host, notifier } = await bridge();
      const res = await post(host, path(WORKFLOW_ID, callbackToken('another-secret', WORKFLOW_ID)), JSON.stringify(taskDocument()));
      expect(res.statusCode).toBe(401);
      expect(notifier.calls).toHaveLength(0);
    });

    it('checks the token before anything else: a bad token with a huge, unsigned, malformed body is 401', async () => {
      const { host, notifier } = await bridge({ webhookSecret: WEBHOOK_SECRET, bodyLimit: 1024 });
      const res = await post(host, path(WORKFLOW_ID, 'nope'), 'x'.repeat(10_000));
      expect(res.statusCode).toBe(401);
      expect(notifier.calls).toHaveLength(0);
    });
  });

  describe('cloro signature (CLORO_WEBHOOK_SECRET set)', () => {
    const signed = (raw: string, at = NOW, secret = WEBHOOK_SECRET) => signWebhook(raw, secret, at);

    it('accepts a body signed with the secret', async () => {
      const { host, notifier } = await bridge({ webhookSecret: WEBHOOK_SECRET });
      const raw = JSON.stringify(taskDocument());
      const res = await post(host, path(), raw, signed(raw));
      expect(res.statusCode).toBe(200);
      expect(notifier.calls).toHaveLength(1);
    });

    it('verifies the raw bytes: re-ordered keys and odd whitespace still match the signature', async () => {
      const { host, notifier } = await bridge({ webhookSecret: WEBHOOK_SECRET });
      const doc = taskDocument();
      const raw = `{ "response": ${JSON.stringify(doc.response)},\n  "credits": ${JSON.stringify(doc.credits)},\n  "task": ${JSON.stringify(doc.task, null, 4)} }`;
      expect(raw).not.toBe(JSON.stringify(JSON.parse(raw)));
      const res = await post(host, path(), raw, signed(raw));
      expect(res.statusCode).toBe(200);
      expect(notifier.calls).toHaveLength(1);
    });

    it('rejects a signature computed over a re-serialised body instead of the bytes sent', async () => {
      const { host, notifier } = await bridge({ webhookSecret: WEBHOOK_SECRET });
      const raw = JSON.stringify(taskDocument(), null, 2);
      const res = await post(host, path(), raw, signed(JSON.stringify(JSON.parse(raw))));
      expect(res.statusCode).toBe(401);
      expect(notifier.calls).toHaveLength(0);
    });

    it.each([
      ['missing', () => ({})],
      ['signed with another secret', (raw: string) => signWebhook(raw, 'whsec_other', NOW)],
      ['stale (301 s old)', (raw: string) => signWebhook(raw, WEBHOOK_SECRET, NOW - 301)],
      ['from the future (301 s ahead)', (raw: string) => signWebhook(raw, WEBHOOK_SECRET, NOW + 301)],
      ['garbled', () => ({ 'x-cloro-timestamp': String(NOW), 'x-cloro-signature': 'v1=zz' })],
    ])('rejects a %s signature with a bare 401 and notifies nobody', async (_name, headersFor) => {
      const { host, notifier } = await bridge({ webhookSecret: WEBHOOK_SECRET });
      const raw = JSON.stringify(taskDocument());
      const res = await post(host, path(), raw, headersFor(raw));
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ error: 'unauthorized' });
      expect(notifier.calls).toHaveLength(0);
    });

    it('rejects a tampered body', async () => {
      const { host, notifier } = await bridge({ webhookSecret: WEBHOOK_SECRET });
      const raw = JSON.stringify(taskDocument());
      const res = await post(host, path(), raw.replace('task_123', 'task_999'), signed(raw));
      expect(res.statusCode).toBe(401);
      expect(notifier.calls).toHaveLength(0);
    });

    it('checks the signature before parsing: an unsigned malformed body is 401, not 400', async () => {
      const { host } = await bridge({ webhookSecret: WEBHOOK_SECRET });
      const res = await post(host, path(), '{not json');
      expect(res.statusCode).toBe(401);
    });
  });

  describe('malformed and oversized bodies', () => {
    it.each([
      ['not JSON', '{"task": '],
      ['empty', ''],
      ['a JSON array', '[]'],
      ['missing the task', JSON.stringify({ credits: { creditsToCharge: 1 } })],
      ['no status', JSON.stringify({ ...taskDocument(), task: { ...taskDocument().task, status: undefined } })],
      ['a task without id', JSON.stringify({ ...taskDocument(), task: { ...taskDocument().task, id: '' } })],
      ['a task id longer than 256 characters', JSON.stringify(taskDocument({ id: 't'.repeat(257) }))],
      ['an idempotency key longer than 256 characters', JSON.stringify(taskDocument({ idempotencyKey: 'k'.repeat(257) }))],
    ])('answers 400 for %s and notifies nobody', async (_name, body) => {
      const { host, notifier } = await bridge();
      const res = await post(host, path(), body);
      expect(res.statusCode).toBe(400);
      expect(notifier.calls).toHaveLength(0);
    });

    it('names the offending field in the 400', async () => {
      const { host } = await bridge();
      const res = await post(host, path(), JSON.stringify({ ...taskDocument(), task: { ...taskDocument().task, status: 7 } }));
      expect(res.json().error).toMatch(/task\.status/);
    });

    it('ignores a status it does not know unless it reads as ended, which wakes the workflow', async () => {
      const { host, notifier } = await bridge();
      const paused = await post(host, path(), JSON.stringify(taskDocument({ status: 'PAUSED' })));
      expect([paused.statusCode, paused.json().outcome, notifier.calls.length]).toEqual([200, 'ignored', 0]);
      const cancelled = await post(host, path(), JSON.stringify(taskDocument({ status: 'CANCELLED' })));
      expect(cancelled.statusCode).toBe(200);
      expect(notifier.calls).toHaveLength(1);
    });

    it('tolerates fields cloro may add tomorrow', async () => {
      const { host, notifier } = await bridge();
      const doc = { ...taskDocument(), brandNewField: { x: 1 }, task: { ...taskDocument().task, region: 'eu' } };
      const res = await post(host, path(), JSON.stringify(doc));
      expect(res.statusCode).toBe(200);
      expect(notifier.calls).toHaveLength(1);
    });

    it('answers 413 above the body limit and notifies nobody', async () => {
      const { host, notifier } = await bridge({ bodyLimit: 2048 });
      const doc = { ...taskDocument(), response: { text: 'x'.repeat(4096) } };
      const res = await post(host, path(), JSON.stringify(doc));
      expect(res.statusCode).toBe(413);
      expect(notifier.calls).toHaveLength(0);
    });

    it('accepts a full answer of several hundred KiB under the default 1 MiB limit', async () => {
      const { host, notifier } = await bridge();
      const doc = { ...taskDocument(), response: { text: 'x'.repeat(700 * 1024) } };
      const res = await post(host, path(), JSON.stringify(doc));
      expect(res.statusCode).toBe(200);
      expect(notifier.calls).toHaveLength(1);
    });

    it('answers 413 above the default 1 MiB limit', async () => {
      const { host } = await bridge();
      const doc = { ...taskDocument(), response: { text: 'x'.repeat(1024 * 1024) } };
      const res = await post(host, path(), JSON.stringify(doc));
      expect(res.statusCode).toBe(413);
    });
  });

  describe('unknown paths', () => {
    it('answers 404 for GET on a callback URL and for paths that are not callback URLs', async () => {
      const { host, notifier } = await bridge();
      expect((await host.request({ method: 'GET', url: path() })).statusCode).toBe(404);
      expect((await post(host, `${prefix}/webhooks/cloro/only-one-segment`, '{}')).statusCode).toBe(404);
      expect((await post(host, `${path()}/extra`, '{}')).statusCode).toBe(404);
      expect(notifier.calls).toHaveLength(0);
    });

    it('answers a malformed percent-encoding in the URL with a 400 and notifies nobody', async () => {
      const { host, notifier } = await bridge();
      const res = await post(host, `${prefix}/webhooks/cloro/%E0%A4%A/${callbackToken(BRIDGE_SECRET, WORKFLOW_ID)}`, '{}');
      expect(res.statusCode).toBe(400);
      expect(notifier.calls).toHaveLength(0);
    });
  });

  describe('logs', () => {
    it('carry workflowId, taskId, status, outcome and the webhook id of each delivery', async () => {
      const { logger, lines } = capturedLogger();
      const { host } = await bridge({ logger });
      await post(host, path(), JSON.stringify(taskDocument()), { [WEBHOOK_ID_HEADER]: 'task_123-1' });
      const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(entries).toContainEqual(
        expect.objectContaining({
          workflowId: WORKFLOW_ID,
          taskId: 'task_123',
          status: 'COMPLETED',
          outcome: 'signalled',
          webhookId: 'task_123-1',
        }),
      );
    });

    it('never contain the token, the secrets or the body, whatever the outcome', async () => {
      const { logger, text } = capturedLogger();
      const raw = JSON.stringify(taskDocument());
      const token = callbackToken(BRIDGE_SECRET, WORKFLOW_ID);
      const deps = { logger, webhookSecret: WEBHOOK_SECRET };

      const outcomes: Array<[Partial<BridgeDeps>, string, Record<string, string>, string]> = [
        [{}, path(), signWebhook(raw, WEBHOOK_SECRET, NOW), raw], // signalled
        [{}, path(), {}, raw], // missing signature
        [{}, path(), signWebhook(raw, 'whsec_wrong', NOW), raw], // bad signature
        [{}, path(WORKFLOW_ID, `${token.slice(0, -1)}A`), {}, raw], // bad token (close to the real one)
        [{}, path(), signWebhook('{bad', WEBHOOK_SECRET, NOW), '{bad'], // malformed
        [{ bodyLimit: 64 }, path(), {}, raw], // too large
        [{ notifier: recordingNotifier(new Error('unreachable')) }, path(), signWebhook(raw, WEBHOOK_SECRET, NOW), raw],
      ];
      for (const [overrides, url, headers, body] of outcomes) {
        const { host } = await bridge({ ...deps, ...overrides });
        await post(host, url, body, headers);
        await host.close();
      }
      const { host: plain } = await bridge(deps);
      await plain.request({ method: 'GET', url: path() }); // 404 on a callback URL
      await plain.request({ method: 'POST', url: `${prefix}/webhooks/cloro/%E0%A4%A/${token}` }); // undecodable
      await plain.request({ method: 'POST', url: `${path()}/extra` }); // not a callback URL

      const logged = text();
      expect(logged.length).toBeGreaterThan(0);
      expect(logged).toContain('bad_signature');
      expect(logged).toContain('bad_token');
      expect(logged).toContain('unavailable');
      for (const secret of [BRIDGE_SECRET, WEBHOOK_SECRET, token, token.slice(0, -1), ANSWER_TEXT]) {
        expect(logged).not.toContain(secret);
      }
    });
  });
});
