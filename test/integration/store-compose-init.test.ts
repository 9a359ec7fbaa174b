/**
 * The compose stack's database init step (deploy/postgres/create-databases.sh) run with psql
 * against a real PostgreSQL, twice: roles and databases appear once, each role owns its
 * databases and can connect to no other, and a second run (every `up`) changes nothing but
 * the passwords.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { startPostgres, type TestPostgres } from '../helpers/postgres';

const SCRIPT = path.join(__dirname, '..', '..', 'deploy', 'postgres', 'create-databases.sh');

let pg: TestPostgres | undefined;
beforeAll(async () => {
  pg = await startPostgres();
}, 120_000);
afterAll(async () => {
  await pg?.stop();
});

async function runInit(passwords: { temporal: string; cloro: string }): Promise<string> {
  const url = new URL(pg!.url);
  const { stdout } = await promisify(execFile)('sh', [SCRIPT], {
    env: {
      PATH: process.env.PATH,
      PGHOST: url.hostname,
      PGPORT: url.port,
      PGUSER: 'postgres',
      PGDATABASE: 'postgres',
      TEMPORAL_DB_PASSWORD: passwords.temporal,
      CLORO_DB_PASSWORD: passwords.cloro,
    },
  });
  return stdout;
}

async function query<T extends object>(sql: string): Promise<T[]> {
  const client = new Client({ connectionString: pg!.url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('create-databases.sh', () => {
  it('creates the roles and databases once, each role confined to its own', async () => {
    const hashes = () =>
      query<{ rolname: string; rolpassword: string }>(
        `SELECT rolname, rolpassword FROM pg_authid WHERE rolname IN ('temporal', 'cloro') ORDER BY rolname`,
      );
    expect(await runInit({ temporal: 'first-t', cloro: 'first-c' })).toContain('ready');
    const first = await hashes();
    expect(await runInit({ temporal: 'second-t', cloro: 'second-c' })).toContain('ready');
    const second = await hashes();
    expect(second.map((r) => r.rolname)).toEqual(['cloro', 'temporal']);
    // The second run set the passwords it was given: a rotation in .env takes effect on the next `up`.
    second.forEach((row, i) => expect(row.rolpassword).not.toBe(first[i]!.rolpassword));

    const databases = await query<{ datname: string; owner: string }>(
      `SELECT datname, pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname IN ('temporal', 'temporal_visibility', 'cloro') ORDER BY datname`,
    );
    expect(databases).toEqual([
      { datname: 'cloro', owner: 'cloro' },
      { datname: 'temporal', owner: 'temporal' },
      { datname: 'temporal_visibility', owner: 'temporal' },
    ]);
    const access = await query<{ role: string; db: string; connect: boolean }>(
      `SELECT r.role, d.db, has_database_privilege(r.role, d.db, 'CONNECT') AS connect
         FROM (VALUES ('temporal'), ('cloro')) AS r(role), (VALUES ('temporal'), ('temporal_visibility'), ('cloro')) AS d(db)
        ORDER BY r.role, d.db`,
    );
    expect(access.filter((a) => a.connect).map((a) => `${a.role}→${a.db}`)).toEqual([
      'cloro→cloro',
      'temporal→temporal',
      'temporal→temporal_visibility',
    ]);
    const roles = await query<{ rolname: string; rolcanlogin: boolean; has_password: boolean }>(
      `SELECT rolname, rolcanlogin, rolpassword IS NOT NULL AS has_password FROM pg_authid WHERE rolname IN ('temporal', 'cloro') ORDER BY rolname`,
    );
    expect(roles).toEqual([
      { rolname: 'cloro', rolcanlogin: true, has_password: true },
      { rolname: 'temporal', rolcanlogin: true, has_password: true },
    ]);
  });

  it('fails without the role passwords', async () => {
    const url = new URL(pg!.url);
    await expect(
      promisify(execFile)('sh', [SCRIPT], { env: { PATH: process.env.PATH, PGHOST: url.hostname, PGPORT: url.port, PGUSER: 'postgres' } }),
    ).rejects.toThrow(/TEMPORAL_DB_PASSWORD/);
  });
});
