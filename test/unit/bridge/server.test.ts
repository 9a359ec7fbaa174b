import { startBridge } from '../../../src/bridge/server';
import { callbackUrl } from '../../../src/bridge/token';
import type { NotifyOutcome } from '../../../src/bridge/notifier';
import { BRIDGE_SECRET, recordingNotifier, taskDocument } from './fixtures';

describe('startBridge', () => {
  it('listens on a free loopback port, serves webhooks over real HTTP and closes', async () => {
    const notifier = recordingNotifier();
    const bridge = await startBridge({ port: 0, notifier, bridgeSecret: BRIDGE_SECRET });
    try {
      expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${bridge.url}/healthz`)).status).toBe(200);
      const res = await fetch(callbackUrl(bridge.url, BRIDGE_SECRET, 'wf-1'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(taskDocument()),
      });
      expect(res.status).toBe(200);
      expect(notifier.calls).toHaveLength(1);
    } finally {
      await bridge.close();
      await bridge.close(); // idempotent
    }
    await expect(fetch(`${bridge.url}/healthz`)).rejects.toThrow();
  });

  it('lets an in-flight delivery finish before close() resolves', async () => {
    let release!: (outcome: NotifyOutcome) => void;
    const pending = new Promise<NotifyOutcome>((resolve) => (release = resolve));
    let notified!: () => void;
    const started = new Promise<void>((resolve) => (notified = resolve));
    const bridge = await startBridge({
      port: 0,
      bridgeSecret: BRIDGE_SECRET,
      notifier: {
        notify: () => {
          notified();
          return pending;
        },
      },
    });
    const delivery = fetch(callbackUrl(bridge.url, BRIDGE_SECRET, 'wf-1'), { method: 'POST', body: JSON.stringify(taskDocument()) });
    await started;
    const closed = bridge.close();
    release('signalled');
    expect((await delivery).status).toBe(200);
    await closed;
  });
});
