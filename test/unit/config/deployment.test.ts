import { ConfigError, loadConfig } from '../../../src/config';

describe('deployment version config', () => {
  it('is unversioned with neither variable, and a version with both', () => {
    expect(loadConfig({}).deployment).toBeUndefined();
    expect(loadConfig({ CLORO_DEPLOYMENT_NAME: 'cloro', CLORO_BUILD_ID: 'v2' }).deployment).toEqual({ name: 'cloro', buildId: 'v2' });
  });

  it('refuses one without the other, naming the missing variable', () => {
    expect(() => loadConfig({ CLORO_BUILD_ID: 'v2' })).toThrow(ConfigError);
    expect(() => loadConfig({ CLORO_BUILD_ID: 'v2' })).toThrow(/^CLORO_DEPLOYMENT_NAME: must be set together with CLORO_BUILD_ID/);
    expect(() => loadConfig({ CLORO_DEPLOYMENT_NAME: 'cloro' })).toThrow(
      /^CLORO_BUILD_ID: must be set together with CLORO_DEPLOYMENT_NAME/,
    );
  });
});
