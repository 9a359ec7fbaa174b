/**
 * Encryption as a user turns it on: one variable, CLORO_PAYLOAD_KEYS, given to a `worker`
 * process and to `submit`. The prompt completes, `submit --wait` prints its summary, and the
 * history holds ciphertext: the input a client without the key reads is `binary/encrypted`
 * and the prompt text is not in it. A `submit` without the key cannot read the result.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { METADATA_ENCODING_KEY } from '@temporalio/common';
import { ENCRYPTED_ENCODING } from '../../src/codec/encryption-codec';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { promptWorkflowId, type PromptSummary } from '../../workflows/definitions';
import { ensureBuilt } from '../helpers/build';
import { killAllCli, runCli, spawnCli, testCliEnv } from '../helpers/cli';
import { historyOf } from '../helpers/prompt-harness';
import { testClient, uniqueTaskQueue } from '../helpers/temporal';

const API_KEY = 'sk_test_e2e_encrypted';
const KEYS = `e2e-2026=${randomBytes(32).toString('base64')}`;

let home: string;
let sim: RunningSimulator;
let raw: Client;

beforeAll(async () => {
  await ensureBuilt();
  home = await mkdtemp(path.join(os.tmpdir(), 'cloro-encrypted-e2e-'));
  sim = await startSimulator({ port: 0, apiKey: API_KEY, processingMs: { min: 200, max: 400 }, seed: 3 });
  raw = await testClient();
}, 240_000);

afterAll(async () => {
  await killAllCli();
  await raw?.connection.close();
  await sim?.close();
  if (home) await rm(home, { recursive: true, force: true });
});

it('runs a prompt with CLORO_PAYLOAD_KEYS set on worker and submit, leaving only ciphertext in history', async () => {
  const base = testCliEnv({ url: sim.url, apiKey: API_KEY }, home, { CLORO_TASK_QUEUE: uniqueTaskQueue('encrypted-cli') });
  const env = { ...base, CLORO_PAYLOAD_KEYS: KEYS };
  const worker = spawnCli(['worker'], env);
  await worker.waitForOutput(/worker on task queue/, 60_000);

  const prompt = `Is Pipedrive right for a florist named ${randomUUID().slice(0, 8)}?`;
  const key = `e2e-encrypted-${randomUUID()}`;
  const args = ['submit', '--type', 'CHATGPT', '--prompt', prompt, '--delivery', 'poll', '--key', key, '--wait', '--json'];
  const result = await runCli(args, env, 60_000);
  expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
  expect(JSON.parse(result.stdout.trim()) as PromptSummary).toMatchObject({ idempotencyKey: key, status: 'COMPLETED' });

  const events = await historyOf(raw, promptWorkflowId(key));
  const [input] = events[0]!.workflowExecutionStartedEventAttributes!.input!.payloads!;
  expect(Buffer.from(input!.metadata![METADATA_ENCODING_KEY]!).toString()).toBe(ENCRYPTED_ENCODING);
  // (encrypted-payloads.test.ts searches every byte of a history; here: the CLI's wiring.)
  expect(Buffer.from(input!.data!).includes(Buffer.from(prompt.slice(0, 20)))).toBe(false);

  // The same command without the key: the workflow exists, but its summary is unreadable.
  const without = await runCli(args, base, 30_000);
  expect(without.code).toBe(1);
  expect(without.stderr).toMatch(/binary\/encrypted/);

  expect(await worker.stop('SIGTERM')).toMatchObject({ code: 0 });
});
