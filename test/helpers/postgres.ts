/**
 * A throwaway PostgreSQL server for store tests: initdb in a temp dir, trust auth, loopback
 * on a free port, no fsync (the data is thrown away), stopped and removed afterwards.
 * PostgreSQL refuses to run as root, so under uid 0 it runs as the `postgres` system user
 * through `setpriv`, which execs in place: the pid we hold is the postmaster's own, and a
 * signal to it is a signal to the server.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { findFreePort } from '../../src/temporal/ports';

const run = promisify(execFile);
const SYSTEM_USER = 'postgres';

export interface TestPostgres {
  /** postgres:// URL of the `postgres` database as superuser `postgres`. */
  url: string;
  /** Stops the server, keeping its data: clients see the database go away (a fault test's outage). */
  down(): Promise<void>;
  /** Starts it again on the same data and port. */
  up(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPostgres(): Promise<TestPostgres> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cloro-pg-'));
  try {
    const asUser = await runAsPrefix(dir);
    const data = path.join(dir, 'data');
    await run(...command(asUser, 'initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']));
    for (let attempt = 1; ; attempt++) {
      const port = await findFreePort();
      const child = spawnServer(asUser, data, dir, port);
      const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
      const log: string[] = [];
      child.stderr?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      if (await waitReady(url, exited)) {
        let server = { child, exited };
        return {
          url,
          down: () => stopServer(server.child, server.exited),
          async up() {
            const again = spawnServer(asUser, data, dir, port);
            server = { child: again, exited: new Promise<void>((resolve) => again.once('exit', () => resolve())) };
            if (!(await waitReady(url, server.exited))) throw new Error(`PostgreSQL did not start again on port ${port}`);
          },
          async stop() {
            await stopServer(server.child, server.exited);
            await rm(dir, { recursive: true, force: true });
          },
        };
      }
      await stopServer(child, exited);
      // The free port can be taken before the server binds it; anything else is a real failure.
      if (attempt >= 3 || !log.join('').includes('could not bind'))
        throw new Error(`PostgreSQL did not start:\n${log.join('').slice(-2000)}`);
    }
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/** Debian installs each major version under /usr/lib/postgresql/<major>/bin: the newest one there. */
function debianPostgresBin(root = '/usr/lib/postgresql'): string {
  const majors = existsSync(root)
    ? readdirSync(root).filter((v) => /^\d+$/.test(v) && existsSync(path.join(root, v, 'bin', 'initdb')))
    : [];
  const newest = majors.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error(`no PostgreSQL binaries under ${root}/*/bin (install Debian's postgresql, or set POSTGRES_BIN)`);
  return path.join(root, newest, 'bin');
}

/** Under root: hand the temp dir to the system user and run binaries as it. */
async function runAsPrefix(dir: string): Promise<string[]> {
  if (process.getuid?.() !== 0) return [];
  const uid = Number((await run('id', ['-u', SYSTEM_USER])).stdout.trim());
  const gid = Number((await run('id', ['-g', SYSTEM_USER])).stdout.trim());
  await chown(dir, uid, gid);
  return ['setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups'];
}

/** A PostgreSQL binary with its arguments, run through the `setpriv` prefix when there is one. */
function command(asUser: string[], binary: string, args: string[]): [string, string[]] {
  const bin = process.env.POSTGRES_BIN ?? debianPostgresBin();
  const [first, ...rest] = [...asUser, path.join(bin, binary), ...args];
  return [first as string, rest];
}

function spawnServer(asUser: string[], data: string, socketDir: string, port: number): ChildProcess {
  const args = [
    '-D',
    data,
    '-p',
    String(port),
    '-k',
    socketDir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'fsync=off',
    '-c',
    'full_page_writes=off',
  ];
  return spawn(...command(asUser, 'postgres', args), { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** True once a client can run a query; false if the server exits or 30 s pass first. */
async function waitReady(url: string, exited: Promise<void>): Promise<boolean> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 30_000;
  while (!gone && Date.now() < deadline) {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return false;
}

/** SIGINT is PostgreSQL's "fast shutdown": it ends sessions and exits without waiting for clients. */
async function stopServer(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
