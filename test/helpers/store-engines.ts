/**
 * The two engines the store runs on, behind one shape so a suite can `describe.each` them:
 * the embedded PGlite (a temp data dir) and a throwaway PostgreSQL server. `fresh()`
 * gives the URL of an empty, unmigrated database reached over the wire — for PGlite that is
 * a second data dir served by serveEmbedded, which is how other processes reach it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { sql } from 'kysely';
import os from 'node:os';
import path from 'node:path';
import { type Store, openStore } from '../../src/store/db';
import { openEmbedded, serveEmbedded } from '../../src/store/embedded';
import { startPostgres } from './postgres';

export interface EngineUnderTest {
  store: Store;
  /** A scratch dir for this engine's files (data dirs, lock files). */
  dir: string;
  fresh(): Promise<{ url: string; close(): Promise<void> }>;
  stop(): Promise<void>;
}

export const ENGINES: [string, () => Promise<EngineUnderTest>][] = [
  ['PGlite', startPGlite],
  ['PostgreSQL 15', startServer],
];

/** Gives `start` a fresh temp dir, removed when the engine stops or fails to start. */
async function inScratchDir(start: (dir: string) => Promise<Omit<EngineUnderTest, 'dir'>>): Promise<EngineUnderTest> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cloro-store-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    const engine = await start(dir);
    return {
      ...engine,
      dir,
      async stop() {
        await engine.stop();
        await remove();
      },
    };
  } catch (err) {
    await remove();
    throw err;
  }
}

export function startPGlite(): Promise<EngineUnderTest> {
  return inScratchDir(async (dir) => {
    const store = await openStore({ dataDir: path.join(dir, 'db') });
    let n = 0;
    return {
      store,
      async fresh() {
        const embedded = await openEmbedded(path.join(dir, `fresh-${++n}`));
        const served = await serveEmbedded({ embedded }, 0);
        return {
          url: served.url,
          async close() {
            await served.close();
            await embedded.close();
          },
        };
      },
      stop: () => store.close(),
    };
  });
}

function startServer(): Promise<EngineUnderTest> {
  return inScratchDir(async (dir) => {
    const server = await startPostgres();
    const store = await openStore({ url: server.url, dataDir: path.join(dir, 'unused') }).catch(async (err: unknown) => {
      await server.stop();
      throw err;
    });
    let n = 0;
    return {
      store,
      async fresh() {
        const name = `fresh_${++n}`;
        await sql.raw(`create database ${name}`).execute(store.db);
        return { url: server.url.replace(/\/postgres$/, `/${name}`), close: async () => undefined };
      },
      async stop() {
        await store.close();
        await server.stop();
      },
    };
  });
}

/** Starts the engine before the suite and stops it after; call inside `describe`, read the engine in the tests. */
export function useEngine(start: () => Promise<EngineUnderTest>): () => EngineUnderTest {
  let engine: EngineUnderTest | undefined;
  beforeAll(async () => {
    engine = await start();
  });
  afterAll(() => engine?.stop());
  return () => {
    if (!engine) throw new Error('the engine did not start');
    return engine;
  };
}
