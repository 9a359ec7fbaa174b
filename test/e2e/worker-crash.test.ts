/**
 * Durability through a crash: the worker process is SIGKILLed while its prompt waits for
 * cloro, a new worker process takes over, and the prompt completes on the task created
 * before the crash (one create, no second charge).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { toWorkflowInput } from '../../src/prompts/request';
import { startPrompt } from '../../src/prompts/start';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { type PromptStatus, statusQuery } from '../../workflows/definitions';
import { ensureBuilt } from '../helpers/build';
import { killAllCli, spawnCli, testCliEnv, type CliProcess } from '../helpers/cli';
import { testClient, uniqueTaskQueue } from '../helpers/temporal';

const API_KEY = 'sk_test_e2e_worker_crash';
/** Long enough that the first worker is surely killed while cloro is still working. */
const PROCESSING_MS = 8_000;
const POLL_MS = 3_000;

let sim: RunningSimulator;
let client: Client;
let home: string;

beforeAll(async () => {
  await ensureBuilt();
  sim = await startSimulator({ port: 0, apiKey: API_KEY, processingMs: { min: PROCESSING_MS, max: PROCESSING_MS }, seed: 3 });
  client = await testClient();
  home = await mkdtemp(path.join(os.tmpdir(), 'cloro-crash-e2e-'));
}, 240_000);

afterAll(async () => {
  await killAllCli();
  await client?.connection.close();
  await sim?.close();
  if (home) await rm(home, { recursive: true, force: true });
});

function startWorker(taskQueue: string): CliProcess {
  return spawnCli(['worker', '--task-queue', taskQueue], testCliEnv({ url: sim.url, apiKey: API_KEY }, home));
}

/** Queries until the workflow waits on a created task with its next poll comfortably ahead. */
async function waitUntilWaiting(query: () => Promise<PromptStatus>, timeoutMs: number): Promise<PromptStatus> {
  const deadline = Date.now() + timeoutMs;
  let last: PromptStatus | undefined;
  while (Date.now() < deadline) {
    last = await query().catch(() => undefined);
    const pollIn = last?.nextPollAt ? Date.parse(last.nextPollAt) - Date.now() : 0;
    if (last?.phase === 'waiting' && last.taskId && pollIn > 1_000) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the workflow never reached "waiting" (last status: ${JSON.stringify(last)})`);
}

describe('worker crash', () => {
  it('completes a prompt whose worker was SIGKILLed mid-wait, on a new worker process, with one create', async () => {
    const taskQueue = uniqueTaskQueue('crash');
    const input = toWorkflowInput(
      {
        taskType: 'CHATGPT',
        prompt: 'Which CRM should a startup pick: HubSpot, Salesforce or Pipedrive?',
        country: 'US',
        delivery: 'poll',
      },
      { scope: `e2e-crash-${randomUUID()}`, runAt: new Date().toISOString() },
      { timing: { pollInitialMs: POLL_MS, pollFactor: 1, pollMaxMs: POLL_MS } },
    );

    const first = startWorker(taskQueue);
    await first.waitForOutput(/worker on task queue/, 60_000);
    const { handle } = await startPrompt(client, input, taskQueue);
    const waiting = await waitUntilWaiting(() => handle.query(statusQuery), 30_000);
    expect(waiting).toMatchObject({ delivery: 'poll', attempts: 1 });

    const killedAt = Date.now();
    expect(await first.stop('SIGKILL')).toMatchObject({ signal: 'SIGKILL' });
    // cloro is still working on the task the dead worker created.
    expect(sim.sim.stats().creates.byIdempotencyKey[input.idempotencyKey]).toMatchObject({ created: 1 });
    expect(sim.sim.stats().tasks.byState.COMPLETED ?? 0).toBe(0);

    const second = startWorker(taskQueue);
    const summary = await handle.result();
    const recoveredSeconds = (Date.now() - killedAt) / 1000;

    expect(summary).toMatchObject({ status: 'COMPLETED', taskId: waiting.taskId, attempts: 1, orphaned: 0, error: null });
    expect(sim.sim.stats().creates.byIdempotencyKey[input.idempotencyKey]).toMatchObject({ requests: 1, created: 1 });
    expect(second.stderr()).toMatch(/worker on task queue/);
    console.log(`worker crash: completed ${recoveredSeconds.toFixed(1)} s after the SIGKILL`);
    await second.stop('SIGTERM');
  });
});
