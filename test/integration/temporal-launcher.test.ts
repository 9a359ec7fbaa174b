/**
 * The embedded Temporal, for real: the run's shared dev server (global-setup) carries our
 * search attributes with their types and answers visibility queries on them; and a second
 * dev server started through the launcher on free ports comes up with its Web UI, repairs
 * missing attributes, refuses a type clash, and stops without leaving a process or a port;
 * a port lost to another process before the server binds it costs a retry, not the run.
 */
import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type Client, Connection } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { loadConfig } from '../../src/config';
import { resolveTemporalBinary } from '../../src/temporal/binary';
import { type DevServer, DevServerError, startDevServer } from '../../src/temporal/dev-server';
import { ensureTemporal } from '../../src/temporal/ensure-temporal';
import { findFreePort, isListening, isPortFree, splitAddress } from '../../src/temporal/ports';
import {
  ensureSearchAttributes,
  PROJECT_SEARCH_ATTRIBUTES,
  registeredSearchAttributes,
  SearchAttributeError,
} from '../../src/temporal/search-attributes';
import { SEARCH_ATTRIBUTE_KEYS } from '../../workflows/definitions';
import { executable, recordingLog } from '../helpers/launcher';
import { liveProcessesInGroup, testClient, testTemporalState } from '../helpers/temporal';

describe('the shared test server', () => {
  let client: Client;

  beforeAll(async () => {
    client = await testClient();
  });
  afterAll(async () => {
    await client?.connection.close();
  });

  it('answers on the address global-setup published', async () => {
    const state = testTemporalState();
    expect(process.env.TEMPORAL_ADDRESS).toBe(state.address);
    const info = await client.workflowService.getSystemInfo({});
    expect(info.serverVersion).toBeTruthy();
  });

  it('has all eight project search attributes with their declared types', async () => {
    expect(SEARCH_ATTRIBUTE_KEYS).toHaveLength(8);
    const registered = await registeredSearchAttributes(client.connection, testTemporalState().namespace);
    for (const key of SEARCH_ATTRIBUTE_KEYS) {
      expect({ name: key.name, type: registered.get(key.name) }).toEqual({
        name: key.name,
        type: encodeSearchAttributeIndexedValueType(key.type),
      });
    }
  });

  it('accepts a visibility query on a project attribute', async () => {
    const found: string[] = [];
    for await (const wf of client.workflow.list({ query: `CloroBatchId = "no-such-batch-${Date.now()}"` })) found.push(wf.workflowId);
    expect(found).toEqual([]);
    const count = await client.workflow.count(`CloroPriority > 100 AND CloroTaskType = "CHATGPT"`);
    expect(count.count).toBe(0);
  });

  it('is what ensureTemporal adopts when TEMPORAL_ADDRESS names it, without starting anything', async () => {
    const cfg = loadConfig({ TEMPORAL_ADDRESS: testTemporalState().address, CLORO_TEMPORAL_HOME: os.tmpdir() });
    const handle = await ensureTemporal(cfg);
    expect(handle).toMatchObject({ source: 'TEMPORAL_ADDRESS', address: testTemporalState().address, devServer: undefined });
    await handle.stop(); // a no-op for a server we did not start
    expect(await client.workflowService.getSystemInfo({})).toBeTruthy();
  });
});

describe('ensureTemporal without TEMPORAL_ADDRESS', () => {
  let home: string;

  beforeAll(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'cloro-temporal-ensure-'));
  });
  afterAll(async () => {
    await fs.rm(home, { recursive: true, force: true });
  });

  it('adopts a server already answering at the local address', async () => {
    const cfg = loadConfig({ CLORO_TEMPORAL_HOME: home });
    const handle = await ensureTemporal(cfg, { localAddress: testTemporalState().address });
    expect(handle).toMatchObject({ source: 'running-local', address: testTemporalState().address, devServer: undefined });
    await handle.stop();
    await expect(fs.readdir(home)).resolves.toEqual([]); // nothing started, nothing written
  });

  it('starts the embedded server (own namespace, attributes included) when nothing answers there', async () => {
    const binary = await resolveTemporalBinary({ home: loadConfig().home, cliPath: loadConfig().temporal.cliPath });
    const cfg = loadConfig({ CLORO_TEMPORAL_HOME: home, TEMPORAL_CLI_PATH: binary.path, TEMPORAL_NAMESPACE: 'cloro-launcher-test' });
    const port = await findFreePort();
    const handle = await ensureTemporal(cfg, { localAddress: `127.0.0.1:${port}`, ui: false });
    try {
      expect(handle).toMatchObject({
        source: 'embedded',
        address: `127.0.0.1:${port}`,
        namespace: 'cloro-launcher-test',
        uiUrl: undefined,
      });
      expect(handle.devServer?.dbFile).toBe(path.join(home, 'temporal.sqlite'));
      const connection = await Connection.connect({ address: handle.address });
      try {
        const registered = await registeredSearchAttributes(connection, 'cloro-launcher-test');
        expect(SEARCH_ATTRIBUTE_KEYS.map((k) => registered.get(k.name))).toEqual(
          SEARCH_ATTRIBUTE_KEYS.map((k) => encodeSearchAttributeIndexedValueType(k.type)),
        );
      } finally {
        await connection.close();
      }
    } finally {
      await handle.stop();
    }
    expect(await isPortFree(port)).toBe(true);
  });
});

describe('a second dev server through startDevServer', () => {
  let home: string;
  let server: DevServer | undefined;

  beforeAll(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'cloro-temporal-launcher-'));
  });
  afterAll(async () => {
    await server?.stop();
    await fs.rm(home, { recursive: true, force: true });
  });

  it('starts on free ports with the Web UI, registers attributes, and stops cleanly', async () => {
    const cfg = loadConfig({ CLORO_TEMPORAL_HOME: home });
    // Reuse the project's binary cache so this test does not pip-install into the temp home.
    const projectHome = loadConfig().home;
    const binary = await resolveTemporalBinary({ cliPath: cfg.temporal.cliPath, home: projectHome });

    server = await startDevServer({ home, port: 0, binary });
    const { host, port } = splitAddress(server.address);
    expect(port).not.toBe(splitAddress(testTemporalState().address).port);
    expect(server.dbFile).toBe(path.join(home, 'temporal.sqlite'));
    await expect(fs.stat(server.dbFile!)).resolves.toBeTruthy();
    expect(server.startupMs).toBeLessThan(30_000);

    const connection = await Connection.connect({ address: server.address });
    try {
      const registered = await registeredSearchAttributes(connection, 'default');
      for (const key of PROJECT_SEARCH_ATTRIBUTES) expect(registered.get(key.name)).toBe(encodeSearchAttributeIndexedValueType(key.type));

      // A key added later is registered on the existing database; a second call adds nothing.
      const extra = defineSearchAttributeKey('CloroLauncherTestExtra', SearchAttributeType.KEYWORD);
      await expect(ensureSearchAttributes(connection, 'default', [...PROJECT_SEARCH_ATTRIBUTES, extra])).resolves.toMatchObject({
        added: ['CloroLauncherTestExtra'],
      });
      await expect(ensureSearchAttributes(connection, 'default', [...PROJECT_SEARCH_ATTRIBUTES, extra])).resolves.toMatchObject({
        added: [],
      });
      // A name already registered with another type cannot be "ensured".
      const clash = defineSearchAttributeKey('CloroTaskType', SearchAttributeType.INT);
      await expect(ensureSearchAttributes(connection, 'default', [clash])).rejects.toThrow(SearchAttributeError);
    } finally {
      await connection.close();
    }

    expect(server.uiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const ui = await fetchWithRetry(server.uiUrl!, 15_000);
    expect(ui.status).toBe(200);

    const pid = server.pid;
    const uiPort = Number(new URL(server.uiUrl!).port);
    await server.stop();
    server = undefined;
    expect(liveProcessesInGroup(pid)).toEqual([]);
    expect(await isListening(host, port)).toBe(false);
    expect(await isPortFree(port)).toBe(true);
    expect(await isPortFree(uiPort)).toBe(true);
  });
});

describe('startDevServer when a port is taken', () => {
  let home: string;
  let binary: string;

  beforeAll(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'cloro-temporal-ports-'));
    binary = (await resolveTemporalBinary({ home: loadConfig().home })).path;
  });
  afterAll(async () => {
    await fs.rm(home, { recursive: true, force: true });
  });

  it('starts again on fresh ports when one it picked is bound before the server binds it', async () => {
    // The race cannot be timed from outside, so the first launch reports it the way the
    // server does; the second launch is the real binary.
    const marker = path.join(home, 'first-launch-done');
    const wrapper = await executable(
      path.join(home, 'temporal-loses-first-race'),
      [
        `if [ ! -e '${marker}' ]; then`,
        `  : > '${marker}'`,
        '  while [ $# -gt 0 ]; do [ "$1" = --port ] && port=$2; shift; done',
        '  echo "Error: can\'t set frontend port $port: listen tcp 127.0.0.1:$port: bind: address already in use" >&2',
        '  exit 1',
        'fi',
        `exec '${binary}' "$@"`,
      ].join('\n'),
    );
    const log = recordingLog();

    const server = await startDevServer({ home, port: 0, ui: false, dbFile: null, binary: wrapper, log });
    try {
      const retried = log.lines.filter((m) => m.includes('was taken before the server bound it'));
      expect(retried).toHaveLength(1);
      const launches = log.lines.filter((m) => m.includes(' server start-dev ')).map((m) => /--port (\d+)/.exec(m)?.[1]);
      expect(launches).toHaveLength(2);
      expect(retried[0]).toContain(`port ${launches[0]} `);
      expect(launches[1]).toBe(String(splitAddress(server.address).port));
      expect(await isListening('127.0.0.1', splitAddress(server.address).port)).toBe(true);
    } finally {
      await server.stop();
    }
  });

  it('fails at once, naming the port, when the taken port is one the caller asked for', async () => {
    // Holds the port and hangs up on anyone (an open in-process socket would keep jest alive).
    const blocker = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    const log = recordingLog();
    try {
      const failure = await startDevServer({ home, port: taken, ui: false, dbFile: null, binary, log }).catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(DevServerError);
      expect((failure as DevServerError).portInUse).toBe(taken);
      expect((failure as DevServerError).message).toContain(`${taken}: bind: address already in use`);
      expect(log.lines.filter((m) => m.includes(' server start-dev '))).toHaveLength(1);
    } finally {
      blocker.close();
    }
  });
});

async function fetchWithRetry(url: string, withinMs: number): Promise<Response> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      return await fetch(url);
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
