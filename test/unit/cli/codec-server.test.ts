import { randomBytes } from 'node:crypto';
import { buildProgram } from '../../../src/cli';
import { UsageError } from '../../../src/cli/handle-error';
import { ConfigError } from '../../../src/config';

const run = (...args: string[]) => buildProgram().parseAsync(['node', 'cloro-temporal', 'codec-server', ...args]);

describe('codec-server command', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('refuses to start without payload keys, naming the variables', async () => {
    delete process.env.CLORO_PAYLOAD_KEYS;
    delete process.env.CLORO_PAYLOAD_KEYS_FILE;
    await expect(run()).rejects.toThrow(ConfigError);
    await expect(run()).rejects.toThrow('codec-server needs the payload keys: set CLORO_PAYLOAD_KEYS or CLORO_PAYLOAD_KEYS_FILE');
  });

  it('refuses a non-loopback address without a token, with the ways out as a hint', async () => {
    process.env.CLORO_PAYLOAD_KEYS = `k1=${randomBytes(32).toString('base64')}`;
    delete process.env.CODEC_SERVER_TOKEN;
    const err = await run('--host', '0.0.0.0', '--port', '0').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toMatch(/^--host 0\.0\.0\.0: .*needs a token/);
    expect((err as UsageError).hint).toMatch(/CODEC_SERVER_TOKEN.*--allow-unauthenticated/);
  });
});
