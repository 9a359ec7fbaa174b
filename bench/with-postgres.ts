/**
 * Runs a bench against a throwaway PostgreSQL server: the tests' launcher (initdb in a temp
 * dir, loopback on a free port, fsync off — the data is thrown away), the command with every
 * `{url}` in its arguments replaced by the server's URL, then the server stopped and removed.
 *
 *   npm run build && node dist/bench/with-postgres.js node dist/bench/store.js --url '{url}'
 */
import { spawn } from 'node:child_process';
import { startPostgres } from '../test/helpers/postgres';

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  if (!command) throw new Error("usage: with-postgres <command> [args…] ('{url}' in an argument becomes the server's URL)");
  const pg = await startPostgres();
  try {
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(
        command,
        args.map((a) => a.replaceAll('{url}', pg.url)),
        { stdio: 'inherit' },
      );
      child.once('error', reject);
      child.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
    });
    process.exitCode = code;
  } finally {
    await pg.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
