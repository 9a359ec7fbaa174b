/**
 * Issue #11: `DATABASE_URL=postgres://…` is all a worker and the CLI need to share results.
 * Every process below gets a state dir of its own that no other process sees, so nothing
 * can travel through the file system (no shared volume): a 250-row batch (a prompt set in
 * the database) is written by the `batch` process, read by the worker, and its answers are
 * read back by `batch status`, `result`, `answers` and `store info`. A DATABASE_URL that is
 * not a postgres:// URL stops a command with exit 2 and one line that keeps its password out.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { Client } from 'pg';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import type { BatchProgress } from '../../workflows/definitions';
import { ensureBuilt } from '../helpers/build';
import { killAllCli, runCli, spawnCli, testCliEnv } from '../helpers/cli';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
import { uniqueTaskQueue } from '../helpers/temporal';
import { TempDirs } from '../helpers/temp-dirs';

const API_KEY = 'sk_test_e2e_pgurl';
/** More than the 200 items that travel in the workflow input: the batch becomes a prompt set. */
const ROWS = 250;
const ENGINES = ['CHATGPT', 'GEMINI', 'PERPLEXITY'] as const;

let pg: TestPostgres | undefined;
let sim: RunningSimulator | undefined;
const dirs = new TempDirs();

beforeAll(async () => {
  await ensureBuilt();
  // Each assigned as soon as it runs, so afterAll stops it even when the other fails to start.
  await Promise.all([
    startPostgres().then((started) => (pg = started)),
    // 100 slots and short tasks: the batch runs in a few waves of polls.
    startSimulator({ port: 0, apiKey: API_KEY, concurrency: 100, processingMs: { min: 100, max: 300 }, seed: 11 }).then(
      (started) => (sim = started),
    ),
  ]);
}, 240_000);

afterAll(async () => {
  await killAllCli();
  await Promise.allSettled([sim?.close(), pg?.stop(), ...dirs.removeAll()]);
});

function running<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} did not start`);
  return value;
}

describe('DATABASE_URL with no shared volume', () => {
  const homes: string[] = [];

  /** One process's environment: the test Temporal, the simulator, DATABASE_URL and a state dir of its own. */
  async function ownEnv(queue: string, databaseUrl: string): Promise<NodeJS.ProcessEnv> {
    const home = await dirs.make('cloro-pgurl-home-');
    homes.push(home);
    const simulator = running(sim, 'the simulator');
    return testCliEnv({ url: simulator.url, apiKey: API_KEY }, home, { DATABASE_URL: databaseUrl, CLORO_TASK_QUEUE: queue });
  }

  it('runs a 250-row batch through a worker process and reads its answers back from other processes', async () => {
    const { url } = running(pg, 'PostgreSQL');
    const where = `PostgreSQL at ${new URL(url).host}/postgres`;
    const queue = uniqueTaskQueue('pgurl');
    const worker = spawnCli(['worker'], await ownEnv(queue, url));
    await worker.waitForOutput(/worker on task queue/, 60_000);
    expect(worker.stderr()).toContain(`results in ${where}`);

    const run = randomUUID().slice(0, 8);
    const batchId = `pgurl-${run}`;
    const file = path.join(await dirs.make('cloro-pgurl-input-'), 'brands.jsonl');
    const rows = Array.from({ length: ROWS }, (_, i) => ({
      taskType: ENGINES[i % ENGINES.length],
      prompt: `Best CRM for team ${i} (${run})`,
    }));
    await writeFile(file, rows.map((row) => JSON.stringify(row)).join('\n') + '\n');

    const startedAt = Date.now();
    const ran = await runCli(['batch', file, '--id', batchId, '--delivery', 'poll', '--wait', '--json'], await ownEnv(queue, url), 120_000);
    expect({ code: ran.code, stderr: ran.stderr }).toEqual({
      code: 0,
      stderr: expect.stringContaining(`batch ${batchId}: ${ROWS} prompts (promptSet)`),
    });
    console.log(`postgres-url: ${ROWS}-row batch ran in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
    const progress = JSON.parse(ran.stdout.trim().split('\n').at(-1) ?? '') as BatchProgress;
    expect(progress).toMatchObject({ batchId, total: ROWS, completed: ROWS, failed: 0, inFlight: 0, done: true });

    const status = await runCli(['batch', 'status', batchId, '--json'], await ownEnv(queue, url), 30_000);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout.trim())).toMatchObject({ batchId, total: ROWS, completed: ROWS, done: true });

    const answers = await runCli(['answers', '--batch', batchId, '--csv'], await ownEnv(queue, url), 30_000);
    expect({ code: answers.code, stderr: answers.stderr }).toEqual({ code: 0, stderr: '' });
    const csv = parse(answers.stdout, { columns: true }) as Record<string, string>[];
    expect(csv).toHaveLength(ROWS);
    expect(new Set(csv.map((row) => row.prompt))).toEqual(new Set(rows.map((row) => row.prompt)));
    expect(csv.every((row) => row.batch_id === batchId && row.status === 'COMPLETED')).toBe(true);

    // The answer `result` prints is the one in this PostgreSQL, read by a process that never saw the worker's files.
    const one = csv[0] as Record<string, string>;
    const stored = await answerText(url, one.workflow_id ?? '');
    expect(stored.length).toBeGreaterThan(0);
    const result = await runCli(['result', one.idempotency_key ?? ''], await ownEnv(queue, url), 30_000);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(stored);

    const info = await runCli(['store', 'info', '--json'], await ownEnv(queue, url), 30_000);
    expect(info.code).toBe(0);
    expect(JSON.parse(info.stdout.trim())).toMatchObject({
      engine: 'postgres',
      where,
      counts: { submissions: ROWS, answers: ROWS, failures: 0, prompt_sets: 1, prompt_set_items: ROWS },
    });

    expect(await worker.stop('SIGTERM')).toMatchObject({ code: 0 });
    // No process fell back to an embedded database in its state dir.
    expect(homes.filter((home) => existsSync(path.join(home, 'db')))).toEqual([]);
  }, 200_000);

  describe.each([
    ['not a URL', 'not a url'],
    ['a URL without a scheme', 'u:s3cret@127.0.0.1:5432/cloro'],
    ['a mysql:// URL', 'mysql://u:s3cret@127.0.0.1:3306/cloro'],
  ])('a DATABASE_URL that is %s', (_what, databaseUrl) => {
    it.each([[['worker']], [['store', 'info']]])('stops %j with exit 2 and one line naming DATABASE_URL, no password', async (args) => {
      const result = await runCli(args, await ownEnv(uniqueTaskQueue('pgurl-bad'), databaseUrl), 30_000);
      expect(result.code).toBe(2);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^error: .*DATABASE_URL/);
      expect(result.stderr).not.toContain('s3cret');
      expect(result.stderr).not.toContain(databaseUrl);
      expect(result.stdout).toBe('');
    });
  });
});

async function answerText(url: string, workflowId: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ text: string | null }>('select text from answers where workflow_id = $1', [workflowId]);
    return rows[0]?.text ?? '';
  } finally {
    await client.end();
  }
}
