/**
 * Connection options from the environment: local default, Temporal Cloud API key, mTLS files;
 * and connecting: secrets stay out of errors, a failed connect leaves nothing behind.
 */
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError, loadConfig } from '../../src/config';
import {
  connectClient,
  connectOrClose,
  DEFAULT_TEMPORAL_ADDRESS,
  describeTemporalTarget,
  temporalConnectionOptions,
  TemporalUnavailableError,
} from '../../src/temporal/connection';
import { findFreePort } from '../../src/temporal/ports';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cloro-temporal-tls-'));
  await fs.writeFile(path.join(dir, 'client.pem'), 'CERT');
  await fs.writeFile(path.join(dir, 'client.key'), 'KEY');
  await fs.writeFile(path.join(dir, 'ca.pem'), 'CA');
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const SECRET = 'tcld-api-key-do-not-print';

describe('temporalConnectionOptions', () => {
  it('defaults to the local dev server in plaintext', () => {
    expect(temporalConnectionOptions(loadConfig({}))).toEqual({ address: DEFAULT_TEMPORAL_ADDRESS });
  });

  it('uses the address the launcher found over the configured default', () => {
    expect(temporalConnectionOptions(loadConfig({}), { address: '127.0.0.1:40001' }).address).toBe('127.0.0.1:40001');
  });

  it('turns TLS on for a Temporal Cloud API key', () => {
    const cfg = loadConfig({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: SECRET });
    expect(temporalConnectionOptions(cfg)).toEqual({ address: 'ns.acct.tmprl.cloud:7233', apiKey: SECRET, tls: true });
  });

  it('reads the mTLS client pair and CA from files', () => {
    const cfg = loadConfig({
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_TLS_CERT: path.join(dir, 'client.pem'),
      TEMPORAL_TLS_KEY: path.join(dir, 'client.key'),
      TEMPORAL_TLS_CA: path.join(dir, 'ca.pem'),
    });
    const { tls } = temporalConnectionOptions(cfg);
    expect(tls).toEqual({
      clientCertPair: { crt: Buffer.from('CERT'), key: Buffer.from('KEY') },
      serverRootCACertificate: Buffer.from('CA'),
    });
  });

  it('keeps the mTLS settings when an API key is also given', () => {
    const cfg = loadConfig({ TEMPORAL_API_KEY: SECRET, TEMPORAL_TLS_CA: path.join(dir, 'ca.pem') });
    expect(temporalConnectionOptions(cfg).tls).toEqual({ serverRootCACertificate: Buffer.from('CA') });
  });

  it('names the variable whose file is missing', () => {
    const cfg = loadConfig({ TEMPORAL_TLS_CERT: path.join(dir, 'client.pem'), TEMPORAL_TLS_KEY: path.join(dir, 'missing.key') });
    expect(() => temporalConnectionOptions(cfg)).toThrow(ConfigError);
    expect(() => temporalConnectionOptions(cfg)).toThrow(/^TEMPORAL_TLS_KEY: cannot read .*missing\.key \(no such file\)$/);
  });

  it('wants the certificate and the key together', () => {
    const cfg = loadConfig({ TEMPORAL_TLS_CERT: path.join(dir, 'client.pem') });
    expect(() => temporalConnectionOptions(cfg)).toThrow(/^TEMPORAL_TLS_KEY: must be set together with TEMPORAL_TLS_CERT/);
  });
});

describe('secrets', () => {
  it('never appear in the description used for log lines', () => {
    const cfg = loadConfig({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_NAMESPACE: 'ns.acct', TEMPORAL_API_KEY: SECRET });
    const text = describeTemporalTarget(cfg);
    expect(text).toBe('ns.acct.tmprl.cloud:7233 namespace=ns.acct tls (api key)');
    expect(text).not.toContain(SECRET);
  });

  it('never appear in the error when the server cannot be reached', async () => {
    const port = await findFreePort();
    const cfg = loadConfig({ TEMPORAL_ADDRESS: `127.0.0.1:${port}`, TEMPORAL_API_KEY: SECRET });
    const err = await connectClient(cfg, { connectTimeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TemporalUnavailableError);
    expect((err as Error).message).toContain(`cannot reach Temporal at 127.0.0.1:${port}`);
    expect((err as Error).message).not.toContain(SECRET);
  });
});

describe('connectOrClose', () => {
  it('leaves no channel reconnecting behind a failed connect', async () => {
    // Accepts TCP and hangs up at once: the connect fails, and every retry would show here.
    let accepted = 0;
    const listener = net.createServer((socket) => {
      accepted += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const { port } = listener.address() as net.AddressInfo;
    try {
      await expect(connectOrClose({ address: `127.0.0.1:${port}`, connectTimeout: '500ms' })).rejects.toThrow();
      expect(accepted).toBeGreaterThan(0);
      // The retry grpc-js scheduled at the first failure (1 s after it) may still land ...
      await sleep(1_500);
      const settled = accepted;
      // ... but no more: a live channel reconnects about 3 s and 6 s after it began.
      await sleep(4_000);
      expect(accepted).toBe(settled);
    } finally {
      listener.close();
    }
  });
});
