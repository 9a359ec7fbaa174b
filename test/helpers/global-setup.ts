/**
 * One Temporal server for the whole integration run. When TEMPORAL_ADDRESS is set we use
 * that server (and make sure our search attributes exist on it; TEMPORAL_UI_URL names its
 * Web UI, if any); otherwise we start the real dev server through the project's launcher —
 * with its Web UI on a free loopback port (web-ui.test.ts drives it; it adds no measurable
 * startup time), its SQLite file in a temp dir, binary from the project cache
 * (`<CLORO_TEMPORAL_HOME>/bin`, pip-installed on first use) — and publish its address in
 * TEMPORAL_ADDRESS plus a JSON state file.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { loadConfig } from '../../src/config';
import { type ResolvedBinary, resolveTemporalBinary } from '../../src/temporal/binary';
import { type DevServer, startDevServer } from '../../src/temporal/dev-server';
import type { LauncherLog } from '../../src/temporal/log';
import { ensureSearchAttributes } from '../../src/temporal/search-attributes';
import { STATE_FILE_ENV, type TestTemporalState } from './temporal';

/** Read back by global-teardown.ts (globalSetup and globalTeardown share one process). */
export const DEV_SERVER_GLOBAL = '__cloroTemporalDevServer';

const verbose = Boolean(process.env.DEBUG);
const log: LauncherLog = {
  debug: (m) => verbose && console.error(`[temporal] ${m}`),
  info: (m) => console.error(`[temporal] ${m}`),
  warn: (m) => console.error(`[temporal] ${m}`),
};

export default async function globalSetup(): Promise<void> {
  const cfg = loadConfig();
  const stateDir = await fs.mkdtemp(path.join(os.tmpdir(), 'cloro-temporal-test-'));
  const stateFile = path.join(stateDir, 'state.json');
  let state: TestTemporalState;

  if (cfg.temporal.address) {
    await registerOn(cfg.temporal.address, cfg.temporal.namespace);
    state = {
      address: cfg.temporal.address,
      namespace: cfg.temporal.namespace,
      external: true,
      stateDir,
      ...(process.env.TEMPORAL_UI_URL ? { uiUrl: process.env.TEMPORAL_UI_URL } : {}),
    };
    log.info(`using the Temporal server at ${state.address} (TEMPORAL_ADDRESS)`);
  } else {
    const started = Date.now();
    // The binary cache is the project's (shared with `npm start`); the server state is the run's.
    let binary: ResolvedBinary;
    let server: DevServer;
    try {
      binary = await resolveTemporalBinary({ cliPath: cfg.temporal.cliPath, home: cfg.home, log });
      server = await startDevServer({
        home: stateDir,
        ui: true,
        namespace: cfg.temporal.namespace,
        binary,
        log: { ...log, info: log.debug },
      });
    } catch (err) {
      await fs.rm(stateDir, { recursive: true, force: true });
      throw err;
    }
    (globalThis as Record<string, unknown>)[DEV_SERVER_GLOBAL] = server;
    state = {
      address: server.address,
      namespace: server.namespace,
      external: false,
      ...(server.uiUrl ? { uiUrl: server.uiUrl } : {}),
      pid: server.pid,
      stateDir,
      startupMs: server.startupMs,
      binarySource: binary.source,
    };
    process.env.TEMPORAL_ADDRESS = server.address;
    log.info(
      `dev server at ${server.address} (Web UI ${server.uiUrl}) ready in ${((Date.now() - started) / 1000).toFixed(2)} s ` +
        `(spawn→ready ${(server.startupMs / 1000).toFixed(2)} s; binary from ${binary.source}: ${binary.path})`,
    );
  }

  await fs.writeFile(stateFile, `${JSON.stringify(state, null, 2)}\n`);
  process.env[STATE_FILE_ENV] = stateFile;
}

async function registerOn(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    await ensureSearchAttributes(connection, namespace);
  } finally {
    await connection.close();
  }
}
