/**
 * Everything a prompt-workflow integration test needs around the shared Temporal dev
 * server: a real simulator over HTTP, a real bridge, the real results store (the embedded
 * database, one per test file), the workflow bundle built once per file, and a fresh
 * worker per test on its own task queue.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { bundleWorkflowCode, type NativeConnection, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { ActivityDeps } from '../../activities';
import { startBridge, type RunningBridge } from '../../src/bridge/server';
import { temporalNotifier } from '../../src/bridge/temporal-notifier';
import { callbackUrl } from '../../src/bridge/token';
import { CloroClient } from '../../src/cloro/client';
import { toWorkflowInput, type PromptRequest } from '../../src/prompts/request';
import { startPrompt } from '../../src/prompts/start';
import { startSimulator, type RunningSimulator, type SimulatorOptionsInput } from '../../src/simulator';
import { DbResultStore } from '../../src/store';
import { resolveTemporalBinary } from '../../src/temporal/binary';
import { createWorker, WORKFLOWS_PATH } from '../../src/temporal/worker';
import type { PromptPolicy, PromptTiming } from '../../workflows/definitions';
import { quietBundlerLogger } from './bundler-logger';
import { MonitorStore } from '../../src/store/monitors';
import { type EngineUnderTest, startPGlite } from './store-engines';
import { testClient, testConnection, testNamespace, testTemporalState, uniqueTaskQueue } from './temporal';

export const API_KEY = 'sk_test_harness_0123456789abcdef';
export const WEBHOOK_SECRET = 'whsec_harness_secret_value';
export const BRIDGE_SECRET = 'bridge-harness-secret-0123456789';

export interface Harness {
  client: Client;
  connection: NativeConnection;
  sim: RunningSimulator;
  bridge: RunningBridge;
  /** The results database the workers write answers and batches' prompt sets to. */
  store: DbResultStore;
  /** Deps pointing at the harness simulator, store and bridge. */
  deps(overrides?: Partial<ActivityDeps>): ActivityDeps;
  /** Runs `fn` while a fresh worker polls a fresh task queue. */
  withWorker<T>(fn: (taskQueue: string) => Promise<T>, deps?: ActivityDeps): Promise<T>;
  close(): Promise<void>;
}

/** Bundled once per file and failure converter (an encrypting one is built into the sandbox). */
const bundles = new Map<string, Promise<WorkflowBundleWithSourceMap>>();
function workflowBundleWith(failureConverterPath: string | undefined): Promise<WorkflowBundleWithSourceMap> {
  const key = failureConverterPath ?? '';
  let bundle = bundles.get(key);
  if (!bundle) {
    bundle = bundleWorkflowCode({
      workflowsPath: WORKFLOWS_PATH,
      logger: quietBundlerLogger,
      ...(failureConverterPath ? { failureConverterPath } : {}),
    });
    bundles.set(key, bundle);
  }
  return bundle;
}

/**
 * One embedded database per test file, shared by its harnesses: PGlite takes seconds to
 * start, and every test writes under its own workflow ids anyway. Closed after the file's
 * last test (this hook belongs to the file that imports the harness).
 */
let database: Promise<EngineUnderTest> | undefined;
afterAll(async () => {
  const engine = await database?.catch(() => undefined);
  database = undefined;
  await engine?.stop();
});

export interface HarnessOptions {
  /** Given to the client (and so the bridge), every worker and the bundle: an encrypted run's codec and failure converter. */
  dataConverter?: DataConverter;
}

export async function startHarness(simOptions: SimulatorOptionsInput = {}, options: HarnessOptions = {}): Promise<Harness> {
  const { dataConverter } = options;
  const workflowBundle = await workflowBundleWith(dataConverter?.failureConverterPath);
  database ??= startPGlite();
  const { db } = (await database).store;
  const store = new DbResultStore(db);
  const monitors = new MonitorStore(db);
  const client = await testClient(dataConverter);
  const connection = await testConnection();
  const sim = await startSimulator({
    port: 0,
    apiKey: API_KEY,
    webhookSecret: WEBHOOK_SECRET,
    processingMs: { min: 200, max: 400 },
    seed: 7,
    ...simOptions,
  });
  const bridge = await startBridge({
    port: 0,
    host: '127.0.0.1',
    notifier: temporalNotifier(client),
    bridgeSecret: BRIDGE_SECRET,
    webhookSecret: WEBHOOK_SECRET,
  });

  const deps = (overrides: Partial<ActivityDeps> = {}): ActivityDeps => ({
    cloro: new CloroClient({ apiKey: API_KEY, baseURL: sim.url, timeout: 5_000 }),
    store,
    monitors,
    callbackUrl: (workflowId) => callbackUrl(bridge.url, BRIDGE_SECRET, workflowId),
    ...overrides,
  });

  return {
    client,
    connection,
    sim,
    bridge,
    store,
    deps,
    async withWorker(fn, workerDeps = deps()) {
      const taskQueue = uniqueTaskQueue('prompt');
      const worker = await createWorker({
        connection,
        namespace: testNamespace(),
        taskQueue,
        deps: workerDeps,
        workflowBundle,
        ...(dataConverter ? { dataConverter } : {}),
      });
      return worker.runUntil(fn(taskQueue));
    },
    async close() {
      await bridge.close();
      await sim.close();
      await connection.close();
      await client.connection.close();
    },
  };
}

/** A prompt with a key unique to this test run, so ids never collide across runs. */
export function promptInput(
  request: Partial<PromptRequest> = {},
  overrides: { timing?: Partial<PromptTiming>; policy?: Partial<PromptPolicy> } = {},
) {
  return toWorkflowInput(
    { taskType: 'CHATGPT', prompt: 'Which CRM should a startup pick: HubSpot, Salesforce or Pipedrive?', country: 'US', ...request },
    { scope: `test-${randomUUID()}`, runAt: new Date().toISOString() },
    overrides,
  );
}

export async function runPrompt(h: Harness, taskQueue: string, input: ReturnType<typeof promptInput>) {
  const started = await startPrompt(h.client, input, taskQueue);
  return { ...started, summary: await started.handle.result() };
}

/** Runs the `temporal` CLI against the test server (the binary the launcher resolved); resolves with its stdout. */
export async function temporalCli(args: string[]): Promise<string> {
  const { path: temporal } = await resolveTemporalBinary({ cliPath: process.env.TEMPORAL_CLI_PATH, home: path.resolve('.cloro-temporal') });
  const { address, namespace } = testTemporalState();
  const { stdout } = await promisify(execFile)(temporal, [...args, '--address', address, '--namespace', namespace], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/**
 * With RECORD_HISTORIES=<dir>, saves a finished workflow's history as a replay fixture
 * (test/fixtures/histories/ holds the committed ones); otherwise does nothing. Without
 * `runId` it saves the latest run; a run that continued as new is saved by its run id.
 */
export async function recordHistory(workflowId: string, name: string, runId?: string): Promise<void> {
  const dir = process.env.RECORD_HISTORIES;
  if (!dir) return;
  // The CLI writes the canonical proto JSON that historyFromJSON reads (the SDK's own
  // historyToJSON trips over jest's second copy of protobufjs).
  const run = runId ? ['--run-id', runId] : [];
  const stdout = await temporalCli(['workflow', 'show', '--workflow-id', workflowId, ...run, '--output', 'json']);
  // One event per line: a third smaller than the CLI's indented output (batch runs near
  // the event budget stay under 300 KB) and still diffable event by event.
  const { events } = JSON.parse(stdout) as { events: unknown[] };
  await writeFile(path.join(dir, `${name}.json`), `{"events":[\n${events.map((e) => JSON.stringify(e)).join(',\n')}\n]}\n`);
}

/** Events of one workflow's history. */
export async function historyOf(client: Client, workflowId: string) {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return history.events ?? [];
}
