/**
 * `cloro-temporal dev` as a user runs it: the embedded path (no TEMPORAL_ADDRESS), its own
 * Temporal dev server on free ports (never the shared test server, never 7233), a temp
 * state dir, the binary from the project cache.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DEV_STACK_FILE, type DevStackAddresses } from '../../src/app/dev-stack-file';
import { loadConfig } from '../../src/config';
import { DbResultStore, type PromptRecord } from '../../src/store';
import { openStore } from '../../src/store/db';
import { resolveTemporalBinary } from '../../src/temporal/binary';
import { findFreePort, isListening } from '../../src/temporal/ports';
import { ensureBuilt } from '../helpers/build';
import { cleanEnv, killAllCli, runCli, spawnCli } from '../helpers/cli';

let home: string;
let temporalCliPath: string;

beforeAll(async () => {
  await ensureBuilt();
  // global-setup already resolved (or installed) the binary into the project cache.
  const cfg = loadConfig();
  temporalCliPath = (await resolveTemporalBinary({ cliPath: cfg.temporal.cliPath, home: cfg.home })).path;
}, 240_000);

beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'cloro-dev-e2e-'));
});

afterEach(async () => {
  await killAllCli();
  await rm(home, { recursive: true, force: true });
});

/** Distinct free ports for the dev server's frontend and UI and for the bridge. */
async function freePorts(): Promise<{ temporal: number; ui: number; bridge: number }> {
  const ports = new Set<number>();
  while (ports.size < 3) ports.add(await findFreePort());
  const [temporal, ui, bridge] = [...ports] as [number, number, number];
  return { temporal, ui, bridge };
}

function devArgs(ports: { temporal: number; ui: number; bridge: number }, ...extra: string[]): string[] {
  return [
    'dev',
    '--temporal-port',
    String(ports.temporal),
    '--ui-port',
    String(ports.ui),
    '--bridge-port',
    String(ports.bridge),
    '--simulator-port',
    '0',
    ...extra,
  ];
}

const devEnv = () => cleanEnv({ CLORO_TEMPORAL_HOME: home, TEMPORAL_CLI_PATH: temporalCliPath });

async function nothingListensOn(...ports: number[]): Promise<boolean> {
  const answers = await Promise.all(ports.map((port) => isListening('127.0.0.1', port, 500)));
  return answers.every((listening) => !listening);
}

describe('cloro-temporal dev', () => {
  it('--once runs the demo monitor twice, prints its report table, the HTML report and the Web UI address, exits 0 and leaves nothing running', async () => {
    const ports = await freePorts();
    const started = Date.now();
    const result = await runCli(devArgs(ports, '--once'), devEnv(), 100_000);
    const seconds = (Date.now() - started) / 1000;

    expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 });
    expect(result.stdout).toMatch(/^Monitor hubspot-crm-demo \(created\): 2 run\(s\)/m);
    // 3 prompts × 2 engines × 2 countries × 3 samples a run.
    expect(result.stdout.match(/^ {2}hubspot-crm-demo-\d{8}T\d{6}Z: 36\/36 answers, \d+ credits, HubSpot named in \d+ %$/gm)).toHaveLength(
      2,
    );
    expect(result.stdout).toMatch(/^\| Cut +\| Answers +\| Mention rate /m);
    expect(result.stdout).toMatch(/\d+ % \(\d+–\d+\)/);
    const html = /^HTML report: (.+\.html)$/m.exec(result.stdout)?.[1];
    expect(html && path.dirname(html)).toBe(path.join(home, 'reports'));
    expect(existsSync(html ?? '')).toBe(true);
    expect(result.stdout).toContain(`Web UI: http://127.0.0.1:${ports.ui}`);
    expect(result.stdout).toContain(`http://127.0.0.1:${ports.ui}/namespaces/default/schedules/cloro-monitor-hubspot-crm-demo`);
    // Not a terminal here: plain progress lines instead of a bar.
    expect(result.stdout).toMatch(/^run 1\/2: 36\/36 done — 36 completed, 0 failed, 0 in flight$/m);
    expect(result.stdout).toMatch(/^run 2\/2: 36\/36 done — 36 completed, 0 failed, 0 in flight$/m);

    expect(existsSync(path.join(home, DEV_STACK_FILE))).toBe(false);
    expect(existsSync(path.join(home, 'temporal.sqlite'))).toBe(true);
    expect(await nothingListensOn(ports.temporal, ports.ui, ports.bridge)).toBe(true);
    console.log(`dev --once: ${seconds.toFixed(1)} s in all; ${/Monitor \S+ .*/.exec(result.stdout)?.[0] ?? ''}`);
  });

  it('serves until SIGTERM, publishes its addresses in dev-stack.json meanwhile, then stops everything and exits 0', async () => {
    const ports = await freePorts();
    const dev = spawnCli(devArgs(ports, '--no-demo'), devEnv());
    await dev.waitForOutput(/Ctrl-C stops everything/, 60_000);

    const addresses = JSON.parse(await readFile(path.join(home, DEV_STACK_FILE), 'utf8')) as DevStackAddresses;
    expect(addresses).toMatchObject({
      pid: dev.pid,
      temporal: { address: `127.0.0.1:${ports.temporal}`, uiUrl: `http://127.0.0.1:${ports.ui}`, source: 'embedded' },
      taskQueue: 'cloro',
      cloro: { simulator: true },
      bridge: { url: `http://127.0.0.1:${ports.bridge}`, callbackBase: `http://127.0.0.1:${ports.bridge}/webhooks/cloro/` },
    });
    expect((await fetch(`${addresses.bridge.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${addresses.cloro.url}/_sim/stats`)).status).toBe(200);
    expect(dev.stdout()).toContain(`Web UI     http://127.0.0.1:${ports.ui}`);

    const stopping = Date.now();
    const exit = await dev.stop('SIGTERM');
    const stopSeconds = (Date.now() - stopping) / 1000;
    expect({ exit, stderr: dev.stderr() }).toMatchObject({ exit: { code: 0, signal: null } });
    expect(stopSeconds).toBeLessThan(20);
    expect(existsSync(path.join(home, DEV_STACK_FILE))).toBe(false);
    expect(await nothingListensOn(ports.temporal, ports.ui, ports.bridge, Number(new URL(addresses.cloro.url).port))).toBe(true);
  });

  it('lets a command in another terminal read a demo answer through the database the stack serves, and from the data dir once it stopped', async () => {
    const ports = await freePorts();
    const dev = spawnCli(devArgs(ports), devEnv());
    await dev.waitForOutput(/Ctrl-C stops everything/, 150_000);
    const workflowId = /npm run cli -- result (cloro-prompt-\S+)`/.exec(dev.stdout())?.[1] ?? 'no demo answer printed';
    const addresses = JSON.parse(await readFile(path.join(home, DEV_STACK_FILE), 'utf8')) as DevStackAddresses;
    expect(addresses.database?.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    expect(dev.stdout()).toContain(`results    ${addresses.database?.url} (embedded database, served)`);

    const running = await runCli(['result', workflowId, '--json'], devEnv());
    expect({ code: running.code, stderr: running.stderr }).toMatchObject({ code: 0, stderr: '' });
    const { summary, record } = JSON.parse(running.stdout) as { summary: { status: string }; record: PromptRecord };
    expect(summary).toMatchObject({ status: 'COMPLETED', resultRef: workflowId });
    expect(record).toMatchObject({ workflowId, status: 'COMPLETED', result: { text: expect.any(String) } });
    // The stack holds the data dir: opening it directly is refused, naming the holder.
    const dataDir = path.join(home, 'db');
    await expect(openStore({ dataDir })).rejects.toThrow(`the embedded database is in use by process ${dev.pid}`);

    expect(await dev.stop('SIGTERM')).toMatchObject({ code: 0, signal: null });
    // The stack's Temporal went with it: `result` says so and prints the stored record.
    const stopped = await runCli(['result', workflowId], { ...devEnv(), TEMPORAL_ADDRESS: `127.0.0.1:${ports.temporal}` });
    expect({ code: stopped.code, stderr: stopped.stderr }).toMatchObject({
      code: 0,
      stderr: expect.stringMatching(/cannot reach Temporal[^]*showing the stored record only/),
    });
    expect(stopped.stdout).toMatch(/^status\s+COMPLETED$/m);
    expect(stopped.stdout).toContain(`\n${record.result?.text}\n`);
    const store = await openStore({ dataDir });
    try {
      expect(await new DbResultStore(store.db).get(workflowId)).toEqual(record);
    } finally {
      await store.close();
    }
  });
});
