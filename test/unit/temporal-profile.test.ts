import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';
import { describeTemporalTarget, temporalConnectionOptions } from '../../src/temporal/connection';

const SECRET = 'profile-api-key-never-logged';
let file: string;
beforeAll(async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cloro-temporal-profile-'));
  file = path.join(dir, 'temporal.toml');
  await fs.writeFile(
    file,
    [
      '[profile.default]',
      'address = "127.0.0.1:17233"',
      'namespace = "local"',
      '',
      '[profile.cloud]',
      'address = "ns.acct.tmprl.cloud:7233"',
      'namespace = "ns.acct"',
      `api_key = "${SECRET}"`,
      '[profile.cloud.grpc_meta]',
      'x-team = "growth"',
      '',
    ].join('\n'),
  );
});

describe('Temporal envconfig profiles', () => {
  it('reads no file unless TEMPORAL_PROFILE or TEMPORAL_CONFIG_FILE is set', () => {
    const cfg = loadConfig({});
    expect(cfg.temporal.profile).toBeUndefined();
    expect(cfg.temporal).toMatchObject({ address: undefined, namespace: 'default', apiKey: undefined });
  });

  it('takes address, namespace, API key (with TLS) and gRPC metadata from the chosen profile', () => {
    const cfg = loadConfig({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'cloud' });
    expect(cfg.temporal).toMatchObject({ address: 'ns.acct.tmprl.cloud:7233', namespace: 'ns.acct', apiKey: SECRET });
    expect(temporalConnectionOptions(cfg)).toEqual({
      address: 'ns.acct.tmprl.cloud:7233',
      apiKey: SECRET,
      tls: true,
      metadata: { 'x-team': 'growth' },
    });
    const described = describeTemporalTarget(cfg);
    expect(described).toBe('ns.acct.tmprl.cloud:7233 namespace=ns.acct tls (api key) profile=cloud');
    expect(described).not.toContain(SECRET);
  });

  it('uses the default profile of the file when no profile is named', () => {
    const cfg = loadConfig({ TEMPORAL_CONFIG_FILE: file });
    expect(cfg.temporal).toMatchObject({ address: '127.0.0.1:17233', namespace: 'local', apiKey: undefined });
    expect(temporalConnectionOptions(cfg)).toEqual({ address: '127.0.0.1:17233' });
  });

  it('lets our variables override the profile field by field', () => {
    const cfg = loadConfig({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'cloud', TEMPORAL_NAMESPACE: 'other.acct' });
    expect(cfg.temporal).toMatchObject({ address: 'ns.acct.tmprl.cloud:7233', namespace: 'other.acct', apiKey: SECRET });
  });

  it('names the variable when the file or the profile is missing', () => {
    expect(() => loadConfig({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'nope' })).toThrow(ConfigError);
    expect(() => loadConfig({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'nope' })).toThrow(/^TEMPORAL_CONFIG_FILE: .*"nope"/);
    expect(() => loadConfig({ TEMPORAL_CONFIG_FILE: `${file}.missing` })).toThrow(/^TEMPORAL_CONFIG_FILE: /);
  });
});
