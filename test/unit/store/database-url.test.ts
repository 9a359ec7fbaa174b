import { ConfigError } from '../../../src/config';
import { openStore } from '../../../src/store/db';

describe('DATABASE_URL', () => {
  it.each([
    ['another database', 'mysql://bob:s3cret@db.example:3306/results', 'got mysql:'],
    ['no scheme at all', 'bob:s3cret@db.example/results', 'got something that is not a URL'],
    ['not a URL', 's3cret', 'got something that is not a URL'],
    ['words with spaces', 'not a url', 'got something that is not a URL'],
  ])('refuses %s with one error naming DATABASE_URL and never the password', async (_, url, got) => {
    const opening = openStore({ url, dataDir: '/nonexistent' });
    await expect(opening).rejects.toBeInstanceOf(ConfigError);
    await expect(opening).rejects.toThrow(`DATABASE_URL must be a postgres:// URL (${got})`);
    await expect(opening).rejects.not.toThrow(/s3cret/);
  });
});
