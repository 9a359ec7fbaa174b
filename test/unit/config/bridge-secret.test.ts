import { ConfigError, loadConfig } from '../../../src/config';

describe('BRIDGE_SECRET', () => {
  it('refuses a secret shorter than 32 bytes with one error naming BRIDGE_SECRET', () => {
    const load = () => loadConfig({ BRIDGE_SECRET: 'too-short-secret' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/^BRIDGE_SECRET: must be at least 32 bytes/);
  });

  it('accepts a secret of 32 bytes or more, and leaves it unset when empty', () => {
    const secret = 'x'.repeat(32);
    expect(loadConfig({ BRIDGE_SECRET: secret }).bridge.secret).toBe(secret);
    expect(loadConfig({ BRIDGE_SECRET: '' }).bridge.secret).toBeUndefined();
  });
});
