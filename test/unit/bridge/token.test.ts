import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  BRIDGE_SECRET_FILE,
  bridgePublicUrl,
  callbackToken,
  callbackUrl,
  loadOrCreateBridgeSecret,
  verifyCallbackToken,
} from '../../../src/bridge/token';
import { ConfigError } from '../../../src/config';

describe('callback tokens', () => {
  it('are URL-safe, fixed-length and differ per workflow and per secret', () => {
    const a = callbackToken('secret', 'wf-a');
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(callbackToken('secret', 'wf-a')).toBe(a);
    expect(callbackToken('secret', 'wf-b')).not.toBe(a);
    expect(callbackToken('other', 'wf-a')).not.toBe(a);
  });

  it('verify only for the workflow and secret they were made for', () => {
    const token = callbackToken('secret', 'wf-a');
    expect(verifyCallbackToken('secret', 'wf-a', token)).toBe(true);
    expect(verifyCallbackToken('secret', 'wf-b', token)).toBe(false);
    expect(verifyCallbackToken('other', 'wf-a', token)).toBe(false);
    expect(verifyCallbackToken('secret', 'wf-a', token.slice(0, -1))).toBe(false);
    expect(verifyCallbackToken('secret', 'wf-a', `${token}x`)).toBe(false);
    expect(verifyCallbackToken('secret', 'wf-a', '')).toBe(false);
  });
});

describe('callbackUrl', () => {
  it('is <base>/webhooks/cloro/<encoded workflowId>/<token>', () => {
    expect(callbackUrl('https://hooks.example.com', 's', 'cloro-prompt-k1')).toBe(
      `https://hooks.example.com/webhooks/cloro/cloro-prompt-k1/${callbackToken('s', 'cloro-prompt-k1')}`,
    );
  });

  it('keeps a path prefix, drops trailing slashes and percent-encodes the id', () => {
    const url = callbackUrl('https://example.com/cloro/', 's', 'a/b c');
    expect(url).toBe(`https://example.com/cloro/webhooks/cloro/a%2Fb%20c/${callbackToken('s', 'a/b c')}`);
  });
});

describe('bridgePublicUrl', () => {
  it('is BRIDGE_PUBLIC_URL, else the local listener', () => {
    expect(bridgePublicUrl({ bridge: { port: 9000, publicUrl: 'https://x.example', secret: undefined } })).toBe('https://x.example');
    expect(bridgePublicUrl({ bridge: { port: 9000, publicUrl: undefined, secret: undefined } })).toBe('http://127.0.0.1:9000');
  });
});

describe('loadOrCreateBridgeSecret', () => {
  let home: string;
  beforeEach(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'bridge-secret-'));
  });
  afterEach(async () => {
    await fs.rm(home, { recursive: true, force: true });
  });
  const cfg = (secret?: string, dir = home) => ({ home: dir, bridge: { port: 8787, publicUrl: undefined, secret } });

  it('uses BRIDGE_SECRET when set and writes nothing', async () => {
    expect(await loadOrCreateBridgeSecret(cfg('from-env'))).toBe('from-env');
    await expect(fs.readdir(home)).resolves.toEqual([]);
  });

  it('generates a secret once, owner-only, and returns the same one after a restart', async () => {
    const nested = path.join(home, 'state');
    const first = await loadOrCreateBridgeSecret(cfg(undefined, nested));
    expect(first.length).toBeGreaterThanOrEqual(40);
    const stat = await fs.stat(path.join(nested, BRIDGE_SECRET_FILE));
    expect(stat.mode & 0o777).toBe(0o600);
    expect(await loadOrCreateBridgeSecret(cfg(undefined, nested))).toBe(first);
    expect(await fs.readdir(nested)).toEqual([BRIDGE_SECRET_FILE]); // no temp files left behind
  });

  it('agrees on one secret when several processes start at once', async () => {
    const secrets = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateBridgeSecret(cfg())));
    expect(new Set(secrets).size).toBe(1);
  });

  it('refuses an empty secret file instead of silently invalidating every callback URL', async () => {
    await fs.writeFile(path.join(home, BRIDGE_SECRET_FILE), '\n');
    await expect(loadOrCreateBridgeSecret(cfg())).rejects.toThrow(ConfigError);
  });
});
