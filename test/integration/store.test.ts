/**
 * The database store, case for case on both engines: the embedded PGlite and a real
 * PostgreSQL 15 server. No mocks: every case writes and reads real rows.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { Pool } from 'pg';
import type { BatchItem } from '../../workflows/definitions';
import { openStore } from '../../src/store/db';
import { DbResultStore } from '../../src/store/db-store';
import { openEmbedded, serveEmbedded } from '../../src/store/embedded';
import { StoreLockedError } from '../../src/store/lock-file';
import { migrateToLatest } from '../../src/store/migrate';
import type { Outcome, Submission } from '../../src/store/record';
import type { Database } from '../../src/store/schema';
import { ENGINES, type EngineUnderTest } from '../helpers/store-engines';
import { migrationProvider } from '../../src/store/migrations';

/** Every migration the repo ships, in order: what a fresh database gets, once. */
const migrationNames = async () => Object.keys(await migrationProvider.getMigrations()).sort();

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-';
let seq = 0;
const uniqueId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++seq}`;

function submission(overrides: Partial<Submission> = {}): Submission {
  return {
    workflowId: uniqueId('wf'),
    idempotencyKey: uniqueId('key'),
    taskType: 'CHATGPT',
    prompt: 'best running shoes',
    country: 'US',
    batchId: null,
    priority: 5,
    labels: { brand: 'acme' },
    submittedAt: '2026-01-02T03:04:05.678Z',
    ...overrides,
  };
}

function completed(overrides: Partial<NonNullable<Outcome['result']>> = {}): Outcome {
  return {
    status: 'COMPLETED',
    taskId: uniqueId('task'),
    credits: { creditsToCharge: 5, creditsCharged: 5 },
    result: {
      model: 'gpt-5',
      text: 'Acme makes the best shoes.',
      markdown: '**Acme** makes the best shoes.',
      sources: [
        { position: 1, url: 'https://acme.example/shoes', label: 'Acme', description: 'shoes', favicon: 'x.ico' },
        { position: 2, url: 'https://review.example/', label: null },
      ],
      searchQueries: ['running shoes'],
      newCloroField: { kept: true },
      ...overrides,
    },
    error: null,
    fetchedAt: '2026-01-02T03:05:00.000Z',
  };
}

function item(n: number): BatchItem {
  return {
    idempotencyKey: `item-${n}`,
    request: { taskType: 'GEMINI', payload: { prompt: `prompt ${n}`, country: 'DE' }, priority: 3 },
    delivery: 'poll',
    labels: { n: String(n) },
  };
}

describe.each(ENGINES)('database store on %s', (_name, start) => {
  let engine: EngineUnderTest;
  let store: DbResultStore;
  let db: Kysely<Database>;

  beforeAll(async () => {
    engine = await start();
    db = engine.store.db;
    store = new DbResultStore(db);
  });
  afterAll(() => engine?.stop());

  async function schemaShape(): Promise<unknown[]> {
    const { rows } = await sql`select table_name, column_name, data_type from information_schema.columns
      where table_schema = 'public' order by table_name, column_name`.execute(db);
    return rows;
  }

  it('applies migrations a second time without changing anything', async () => {
    const before = await schemaShape();
    expect(await migrateToLatest(db)).toEqual([]);
    expect(await schemaShape()).toEqual(before);
    const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    expect(applied.rows.map((r) => r.name)).toEqual(await migrationNames());
  });

  it('applies migrations once when two migrators start together', async () => {
    const fresh = await engine.fresh();
    const clients = [0, 1].map(
      () => new Kysely<Database>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: fresh.url, max: 2 }) }) }),
    );
    try {
      const results = await Promise.all(clients.map((client) => migrateToLatest(client)));
      expect(results.flat()).toEqual(await migrationNames());
      const applied = await sql<{ n: number }>`select count(*)::int as n from kysely_migration`.execute(clients[0]!);
      expect(applied.rows[0]?.n).toBe((await migrationNames()).length);
    } finally {
      await Promise.all(clients.map((client) => client.destroy()));
      await fresh.close();
    }
  });

  it('changes nothing when a submission and its outcome are written again', async () => {
    const sub = submission();
    const outcome = completed();
    await store.saveSubmission(sub);
    const ref = await store.saveOutcome(sub.workflowId, outcome);
    const first = await store.get(ref);
    await store.saveSubmission(sub);
    await store.saveOutcome(sub.workflowId, outcome);
    await store.saveOutcome(sub.workflowId, outcome);
    expect(await store.get(ref)).toEqual(first);
    expect(first).toMatchObject({
      status: 'COMPLETED',
      taskId: outcome.taskId,
      result: outcome.result,
      credits: outcome.credits,
      priority: 5,
    });
    const sources = await db
      .selectFrom('answer_sources')
      .select(['position', 'url'])
      .where('workflow_id', '=', ref)
      .orderBy('position')
      .execute();
    expect(sources).toEqual([
      { position: 0, url: 'https://acme.example/shoes' },
      { position: 1, url: 'https://review.example/' },
    ]);
  });

  it('starts the record afresh when a prompt is resubmitted', async () => {
    const sub = submission();
    await store.saveSubmission(sub);
    await store.saveOutcome(sub.workflowId, completed());
    await store.saveSubmission({ ...sub, prompt: 'asked again' });
    expect(await store.get(sub.workflowId)).toMatchObject({ status: 'SUBMITTED', prompt: 'asked again', result: null, taskId: null });
    const answers = await db.selectFrom('answers').select('workflow_id').where('workflow_id', '=', sub.workflowId).execute();
    expect(answers).toEqual([]);
  });

  it('keeps a failure with cloro error as sent', async () => {
    const sub = submission();
    await store.saveSubmission(sub);
    const error = { code: 'PROVIDER_TIMEOUT', message: 'provider timed out', details: { after: 30 } };
    await store.saveOutcome(sub.workflowId, {
      status: 'FAILED',
      taskId: 't1',
      credits: { creditsToCharge: 5, creditsCharged: 0 },
      result: null,
      error,
      fetchedAt: '2026-01-02T03:05:00.000Z',
    });
    expect(await store.get(sub.workflowId)).toMatchObject({ status: 'FAILED', error, result: null });
    const row = await db.selectFrom('failures').select(['code', 'task_id']).where('workflow_id', '=', sub.workflowId).executeTakeFirst();
    expect(row).toEqual({ code: 'PROVIDER_TIMEOUT', task_id: 't1' });
  });

  it('refuses an outcome for a prompt that was never submitted', async () => {
    await expect(store.saveOutcome(uniqueId('never'), completed())).rejects.toThrow(/No submission recorded/);
  });

  it('stores and reads back 128-character keys, a 10,000-character prompt and a 1 MB answer', async () => {
    const longKey = KEY_ALPHABET.repeat(2).slice(0, 128);
    const sub = submission({ workflowId: longKey, idempotencyKey: longKey, batchId: longKey, prompt: 'p'.repeat(9_999) + 'é' });
    const megabyte = 'Ω answer '.repeat(Math.ceil(1_048_576 / 9)).slice(0, 1_048_576);
    await store.saveSubmission(sub);
    await store.saveOutcome(longKey, completed({ text: megabyte, markdown: megabyte }));
    const record = await store.get(longKey);
    expect(record?.workflowId).toBe(longKey);
    expect(record?.idempotencyKey).toBe(longKey);
    expect(record?.prompt).toBe(sub.prompt);
    expect(record?.result?.text).toBe(megabyte);
    expect(record?.result?.markdown).toBe(megabyte);
  });

  it('reads back an answer whose sources array is empty as empty', async () => {
    const sub = submission();
    await store.saveSubmission(sub);
    await store.saveOutcome(sub.workflowId, completed({ sources: [] }));
    expect((await store.get(sub.workflowId))?.result?.sources).toEqual([]);
  });

  it('reads a large prompt set back page by page in order', async () => {
    const name = uniqueId('set');
    const items = Array.from({ length: 450 }, (_, n) => item(n));
    await store.writePromptSet(name, items);
    await store.writePromptSet(name, items); // a retried write
    const pages = [];
    for (let offset = 0; ;) {
      const page = await store.readPromptSetPage(name, offset, 200);
      if (page.items.length === 0) break;
      pages.push(page.items.length);
      expect(page.items[0]).toEqual(items[offset]);
      offset = page.nextOffset;
    }
    expect(pages).toEqual([200, 200, 50]);
    const count = await db
      .selectFrom('prompt_set_items')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('set_name', '=', name)
      .executeTakeFirst();
    expect(Number(count?.n)).toBe(450);
    await expect(store.readPromptSetPage(uniqueId('missing'), 0, 10)).rejects.toThrow(/no prompt set named/);
  });

  it('reports an unparseable row by its key and still lists the good ones', async () => {
    const batchId = uniqueId('batch');
    const good = submission({ batchId });
    const bad = submission({ batchId });
    await store.saveSubmission(good);
    await store.saveSubmission(bad);
    await sql`update submissions set labels = '"not an object"'::jsonb where workflow_id = ${bad.workflowId}`.execute(db);
    await expect(store.get(bad.workflowId)).rejects.toMatchObject({ name: 'StoredRowError', key: bad.workflowId });
    const listing = await store.listBatch(batchId);
    expect(listing.records.map((r) => r.workflowId)).toEqual([good.workflowId]);
    expect(listing.problems).toEqual([{ key: bad.workflowId, message: expect.stringContaining('labels') }]);

    const set = uniqueId('set');
    await store.writePromptSet(set, [item(0), item(1)]);
    await sql`update prompt_set_items set item = '{"idempotencyKey": 7}'::jsonb where set_name = ${set} and ordinal = 1`.execute(db);
    await expect(store.readPromptSetPage(set, 0, 10)).rejects.toMatchObject({ name: 'StoredRowError', key: `${set}#1` });
  });

  it('keeps the first report of an orphan task', async () => {
    const taskId = uniqueId('orphan');
    const orphan = {
      taskId,
      idempotencyKey: 'k',
      workflowId: null,
      reason: 'adopted after 409',
      raw: { id: taskId },
      foundAt: '2026-01-02T03:04:05.000Z',
    };
    await store.saveOrphan(orphan);
    await store.saveOrphan({ ...orphan, reason: 'again' });
    const rows = await db.selectFrom('orphans').select('reason').where('task_id', '=', taskId).execute();
    expect(rows).toEqual([{ reason: 'adopted after 409' }]);
  });
});

describe('embedded database', () => {
  let engine: EngineUnderTest;
  beforeAll(async () => {
    engine = await ENGINES[0]![1]();
  });
  afterAll(() => engine?.stop());

  it('tells a second opener which process holds the data dir', async () => {
    const dataDir = path.join(engine.dir, 'db');
    const attempt = openStore({ dataDir });
    await expect(attempt).rejects.toBeInstanceOf(StoreLockedError);
    await expect(attempt).rejects.toThrow(`process ${process.pid}`);
  });

  it('takes over a lock file left by a process that has exited', async () => {
    const dataDir = path.join(engine.dir, 'stale');
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    await writeFile(`${dataDir}.lock`, JSON.stringify({ pid: dead, command: 'crashed worker', since: '2026-01-01T00:00:00.000Z' }));
    const embedded = await openEmbedded(dataDir);
    await embedded.close();
  });

  it('serves the database to concurrent pg clients and turns local queries away while served', async () => {
    const served = await serveEmbedded(engine.store, 0);
    try {
      const remote = await openStore({ url: served.url, dataDir: 'unused', poolSize: 8 });
      try {
        // Eight connections share PGlite's one session: each prompt must still read back as its own.
        const results = new DbResultStore(remote.db);
        const subs = Array.from({ length: 40 }, (_, n) => submission({ prompt: `prompt ${n}` }));
        await Promise.all(
          subs.map(async (sub) => {
            await results.saveSubmission(sub);
            await results.saveOutcome(sub.workflowId, completed({ text: `answer to ${sub.prompt}` }));
          }),
        );
        const read = await Promise.all(subs.map((sub) => results.get(sub.workflowId)));
        expect(read.map((r) => [r?.prompt, r?.result?.text])).toEqual(subs.map((s) => [s.prompt, `answer to ${s.prompt}`]));
      } finally {
        await remote.close();
      }
      await expect(new DbResultStore(engine.store.db).get('x')).rejects.toThrow(/being served at postgres:\/\/.*connect to that URL/);
    } finally {
      await served.close();
    }
    expect(await new DbResultStore(engine.store.db).get(uniqueId('absent'))).toBeUndefined();
  });
});
