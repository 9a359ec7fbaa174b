/**
 * The CLI's contract with scripts: exit 2 and one line naming the flag for a bad command
 * line; `submit --wait --json` prints the summary as one JSON line once a worker ran it;
 * `batch` checks every row before anything starts and ends with the batch's progress.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import type { BatchProgress, PromptSummary } from '../../workflows/definitions';
import { ensureBuilt } from '../helpers/build';
import { cleanEnv, killAllCli, runCli, spawnCli, testCliEnv } from '../helpers/cli';
import { uniqueTaskQueue } from '../helpers/temporal';

const API_KEY = 'sk_test_e2e_cli';

let home: string;

beforeAll(async () => {
  await ensureBuilt();
  home = await mkdtemp(path.join(os.tmpdir(), 'cloro-cli-e2e-'));
}, 240_000);

afterAll(async () => {
  await killAllCli();
  if (home) await rm(home, { recursive: true, force: true });
});

describe('bad command lines', () => {
  // Nothing is started for these: the flags are rejected before any connection.
  const env = () => cleanEnv({ CLORO_TEMPORAL_HOME: home, TEMPORAL_ADDRESS: '127.0.0.1:1' });

  it.each([
    ['dev', ['dev', '--temporal-port', '70000'], '--temporal-port'],
    ['dev', ['dev', '--time-scale', 'fast'], '--time-scale'],
    ['worker', ['worker', '--max-activities', '0'], '--max-activities'],
    ['submit', ['submit', '--type', 'CHATGPT', '--prompt', 'hi', '--priority', 'high'], '--priority'],
    ['submit', ['submit', '--type', 'CHATGPT', '--prompt', 'hi', '--country', 'usa'], '--country'],
  ])('%s %j exits 2 with one line naming %s', async (_name, args, flag) => {
    const result = await runCli(args, env(), 30_000);
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: /);
    expect(lines[0]).toContain(flag);
    expect(result.stdout).toBe('');
  });

  it('an unknown flag exits 2 and names it', async () => {
    const result = await runCli(['dev', '--bogus'], env(), 30_000);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toContain('--bogus');
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});

describe('submit and batch against a worker process', () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, apiKey: API_KEY, processingMs: { min: 200, max: 400 }, seed: 5 });
  });
  afterAll(async () => {
    await sim?.close();
  });

  /** The test Temporal, this simulator and a task queue of its own: what both the worker and the command use. */
  const workerEnv = (queue: string) => testCliEnv({ url: sim.url, apiKey: API_KEY }, home, { CLORO_TASK_QUEUE: uniqueTaskQueue(queue) });

  it('prints the completed summary as one JSON line when a worker process runs the prompt', async () => {
    const env = workerEnv('cli');
    const worker = spawnCli(['worker'], env);
    await worker.waitForOutput(/worker on task queue/, 60_000);

    const key = `e2e-cli-${randomUUID()}`;
    const args = [
      'submit',
      '--type',
      'PERPLEXITY',
      '--prompt',
      'HubSpot or Pipedrive for a startup?',
      '--country',
      'DE',
      '--delivery',
      'poll',
      '--key',
      key,
      '--wait',
      '--json',
    ];
    const result = await runCli(args, env, 60_000);

    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines[0] ?? '') as PromptSummary;
    expect(summary).toMatchObject({ idempotencyKey: key, status: 'COMPLETED', attempts: 1, creditsCharged: 4, error: null });
    expect(summary.textLength).toBeGreaterThan(0);
    expect(sim.sim.stats().creates.byIdempotencyKey[key]).toMatchObject({ requests: 1, created: 1 });

    // The same key again: the finished workflow's summary, no second task.
    const again = await runCli(args, env, 30_000);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout.trim())).toEqual(summary);
    expect(sim.sim.stats().creates.byIdempotencyKey[key]).toMatchObject({ requests: 1, created: 1 });

    expect(await worker.stop('SIGTERM')).toMatchObject({ code: 0 });
  });

  it('batch: lists bad rows by line and submits nothing, then runs the valid ones with --skip-invalid', async () => {
    const env = workerEnv('cli-batch');
    const file = path.join(home, `brands-${randomUUID()}.jsonl`);
    const rows = [
      { taskType: 'GEMINI', prompt: `Best CRM for startups? ${randomUUID()}`, country: 'DE' },
      { taskType: 'NOPE', prompt: 'an unknown provider' },
      { taskType: 'CHATGPT', prompt: `Is Acme reliable? ${randomUUID()}` },
      { taskType: 'PERPLEXITY', prompt: `Acme vs Globex pricing ${randomUUID()}`, priority: 7 },
    ];
    await writeFile(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const createsBefore = sim.sim.stats().creates.requests;

    const refused = await runCli(['batch', file, '--delivery', 'poll', '--json'], env, 30_000);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${file}:2: `);
    expect(refused.stderr).toMatch(/1 invalid row\(s\).*nothing was submitted/);
    expect(refused.stdout).toBe('');

    const worker = spawnCli(['worker'], env);
    await worker.waitForOutput(/worker on task queue/, 60_000);
    const ran = await runCli(
      ['batch', file, '--delivery', 'poll', '--skip-invalid', '--queue-buffer', '1', '--wait', '--json'],
      env,
      90_000,
    );
    expect(ran.code).toBe(0);
    const progress = JSON.parse(ran.stdout.trim().split('\n').at(-1) ?? '') as BatchProgress;
    expect(progress).toMatchObject({ total: 3, completed: 3, skipped: 0, inFlight: 0, done: true });
    expect(progress.window.buffer).toBe(1);
    expect(sim.sim.stats().creates.requests - createsBefore).toBe(3);

    const status = await runCli(['batch', 'status', progress.batchId, '--json'], env, 30_000);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout.trim())).toMatchObject({ batchId: progress.batchId, completed: 3, done: true });

    expect(await worker.stop('SIGTERM')).toMatchObject({ code: 0 });
  }, 180_000);
});
