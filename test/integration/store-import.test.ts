/**
 * `store import` against real databases (PGlite and a PostgreSQL 15 server): a file store
 * written by FileResultStore, as the previous version left it, comes over whole; importing
 * it again changes nothing; a bad file is listed by name and never stops the rest. The
 * commands run in-process through the program, as a person's command line would.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildProgram } from '../../src/cli';
import { handleError } from '../../src/cli/handle-error';
import { DbResultStore } from '../../src/store/db-store';
import { FileResultStore, refFor } from '../../src/store/file-store';
import { importFileStore, importPromptSets } from '../../src/store/import-files';
import { tableCounts } from '../../src/store/info';
import { migrationProvider } from '../../src/store/migrations';
import type { Outcome, PromptRecord, Submission } from '../../src/store/record';
import { ENGINES, useEngine } from '../helpers/store-engines';

const submission = (n: number, overrides: Partial<Submission> = {}): Submission => ({
  workflowId: `cloro-prompt-import/${n}`, // a character FileResultStore escapes in file names
  idempotencyKey: `import-${n}`,
  taskType: 'CHATGPT',
  prompt: `prompt ${n}`,
  country: 'US',
  batchId: 'old-batch',
  labels: { n: String(n) },
  submittedAt: '2025-06-01T10:00:00.000Z',
  ...overrides,
});

const completed: Outcome = {
  status: 'COMPLETED',
  taskId: 'task-1',
  credits: { creditsToCharge: 5, creditsCharged: 5 },
  result: {
    model: 'gpt-5',
    text: 'an answer',
    sources: [{ position: 1, url: 'https://acme.example/', label: 'Acme' }],
    searchQueries: ['q'],
    oldField: 1,
  },
  error: null,
  fetchedAt: '2025-06-01T10:01:00.000Z',
};

/** A record file exactly as the previous version's FileResultStore wrote it: the whole record, under its escaped workflow id. */
async function writeOldRecord(dir: string, sub: Submission, outcome?: Outcome): Promise<void> {
  const submitted: PromptRecord = { ...sub, taskId: null, status: 'SUBMITTED', credits: null, result: null, error: null, fetchedAt: null };
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, `${refFor(sub.workflowId)}.json`), JSON.stringify({ ...submitted, ...outcome }));
}

const failed: Outcome = {
  status: 'FAILED',
  taskId: 'task-2',
  credits: null,
  result: null,
  error: { code: 'PROVIDER_ERROR', message: 'no answer', details: { retry: false } },
  fetchedAt: '2025-06-01T10:02:00.000Z',
};

const promptSetItem = (n: number) => ({
  idempotencyKey: `set-${n}`,
  request: { taskType: 'GEMINI', payload: { prompt: `p${n}`, country: 'DE' }, priority: 3 },
  delivery: 'poll',
});

/** A state dir as the previous version left it: results/ with three records and two bad files, prompt-sets/ beside it. */
interface OldStateDir {
  home: string;
  resultsDir: string;
  records: PromptRecord[];
}

async function oldStateDir(): Promise<OldStateDir> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'cloro-old-state-'));
  const resultsDir = path.join(home, 'results');
  const files = new FileResultStore(resultsDir);
  const subs = [submission(1, { priority: 2, monitorId: 'mon', runId: 'run-1' }), submission(2), submission(3)];
  await writeOldRecord(resultsDir, subs[0]!, completed);
  await writeOldRecord(resultsDir, subs[1]!, failed);
  await writeOldRecord(resultsDir, subs[2]!);
  await writeFile(path.join(resultsDir, 'corrupt.json'), '{"workflowId": "cloro-prompt-x", ');
  await writeFile(path.join(resultsDir, 'wrong-shape.json'), JSON.stringify({ workflowId: 'cloro-prompt-y', status: 'DONE' }));
  await writeFile(path.join(resultsDir, 'leftover.json.123.tmp'), '{');
  await mkdir(path.join(home, 'prompt-sets'));
  await writeFile(
    path.join(home, 'prompt-sets', 'old-batch.jsonl'),
    [1, 2, 3].map((n) => JSON.stringify(promptSetItem(n))).join('\n') + '\n',
  );
  const records = await Promise.all(subs.map(async (s) => (await files.get(s.workflowId.replace('/', '~2f')))!));
  return { home, resultsDir, records };
}

/** The old state dir for the suite, removed after it. */
function useOldStateDir(): () => OldStateDir {
  let old: OldStateDir | undefined;
  beforeAll(async () => {
    old = await oldStateDir();
  });
  afterAll(() => (old ? rm(old.home, { recursive: true, force: true }) : undefined));
  return () => old!;
}

describe.each(ENGINES)('store import on %s', (_name, start) => {
  const engine = useEngine(start);
  const old = useOldStateDir();

  it('imports every readable record as it was, lists the bad files by name, and changes nothing the second time', async () => {
    const { home, resultsDir, records } = old();
    const store = engine().store;
    const results = new DbResultStore(store.db);
    const first = await importFileStore(results, resultsDir);
    expect(first).toMatchObject({ imported: 3, updated: 0, unchanged: 0 });
    expect(first.unreadable.map((u) => u.file)).toEqual(['corrupt.json', 'wrong-shape.json']);
    expect(first.unreadable[0]?.reason).toMatch(/JSON/);
    expect(first.unreadable[1]?.reason).toMatch(/^not a prompt record: .*status/);
    const afterFirst = await Promise.all(records.map((r) => results.get(r.workflowId)));
    expect(afterFirst).toEqual(
      records.map((r) => ({ ...r, priority: r.priority ?? null, monitorId: r.monitorId ?? null, runId: r.runId ?? null })),
    );
    const sets = await importPromptSets(store.db, path.join(home, 'prompt-sets'));
    expect(sets).toEqual({ imported: ['old-batch'], present: [], unreadable: [] });
    const counts = await tableCounts(store.db);
    expect(counts).toMatchObject({ submissions: 3, answers: 1, answer_sources: 1, failures: 1, prompt_sets: 1, prompt_set_items: 3 });

    const second = await importFileStore(results, resultsDir);
    expect(second).toEqual({ ...first, imported: 0, unchanged: 3 });
    expect(await importPromptSets(store.db, path.join(home, 'prompt-sets'))).toEqual({
      imported: [],
      present: ['old-batch'],
      unreadable: [],
    });
    expect(await tableCounts(store.db)).toEqual(counts);
    expect(await Promise.all(records.map((r) => results.get(r.workflowId)))).toEqual(afterFirst);

    // A record changed in its file since (here: answered) is rewritten from the file.
    await writeOldRecord(resultsDir, submission(3), { ...completed, taskId: 'task-3' });
    expect(await importFileStore(results, resultsDir)).toMatchObject({ imported: 0, updated: 1, unchanged: 2 });
    expect((await results.get(records[2]!.workflowId))?.status).toBe('COMPLETED');
  });
});

/** Runs a command line in-process: what it printed and the exit code handleError gives. */
async function run(args: string[], env: Record<string, string>): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
  const error = jest.spyOn(console, 'error').mockImplementation((line: string) => void err.push(line));
  const writeErr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk).trimEnd()), true));
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const code = await buildProgram()
      .parseAsync(['node', 'cloro-temporal', ...args])
      .then(() => 0, handleError);
    return { code, out, err };
  } finally {
    process.env = saved;
    log.mockRestore();
    error.mockRestore();
    writeErr.mockRestore();
  }
}

describe('the store and answers commands, in-process', () => {
  const engine = useEngine(ENGINES[0]![1]);
  const old = useOldStateDir();
  let fresh: { url: string; close(): Promise<void> } | undefined;
  beforeAll(async () => {
    fresh = await engine().fresh();
  });
  afterAll(() => fresh?.close());

  const env = () => ({ DATABASE_URL: fresh!.url, CLORO_TEMPORAL_HOME: old().home });

  it.each([
    [['answers', '--limit', '0'], '--limit'],
    [['answers', '--since', 'last week'], '--since'],
    [['answers', '--engine', 'CHATGPT,BARD'], '--engine'],
    [['answers', '--country', 'usa'], '--country'],
    [['answers', '--status', 'DONE'], '--status'],
    [['answers', '--json', '--csv'], '--json'],
    [['answers', '--out', 'answers.xlsx'], '--out'],
    [['store', 'import', '/nonexistent/results'], 'no directory'],
  ])('%j exits 2 with an error naming %s before touching the database', async (args, named) => {
    const { code, err, out } = await run(args, { ...env(), DATABASE_URL: 'postgres://127.0.0.1:1/none' });
    expect(code).toBe(2);
    expect(err[0]).toMatch(/^error: /);
    expect(err[0]).toContain(named);
    expect(err.filter((line) => line.startsWith('error:'))).toHaveLength(1);
    expect(out).toEqual([]);
  });

  it('store import copies the old state dir, lists the bad files and exits 1; store info counts the rows', async () => {
    const { resultsDir } = old();
    const { code, out, err } = await run(['store', 'import'], env()); // default dir: <state dir>/results
    expect(code).toBe(1);
    expect(out.join('\n')).toMatch(/3 imported, 0 updated, 0 already there/);
    expect(out.join('\n')).toMatch(/prompt sets from .*: 1 imported/);
    expect(err.filter((line) => line.startsWith('unreadable: '))).toEqual([
      expect.stringContaining(`${path.join(resultsDir, 'corrupt.json')}: `),
      expect.stringContaining(`${path.join(resultsDir, 'wrong-shape.json')}: `),
    ]);
    const again = await run(['store', 'import', resultsDir, '--json'], env());
    expect(JSON.parse(again.out[0]!)).toMatchObject({ records: { imported: 0, updated: 0, unchanged: 3 } });

    const latest = Object.keys(await migrationProvider.getMigrations())
      .sort()
      .at(-1);
    const info = await run(['store', 'info', '--json'], env());
    expect(info.code).toBe(0);
    expect(JSON.parse(info.out[0]!)).toMatchObject({ engine: 'postgres', schemaVersion: latest, counts: { submissions: 3 } });
    const migrate = await run(['store', 'migrate'], env());
    expect(migrate.out).toEqual([expect.stringMatching(new RegExp(`schema ${latest}; already up to date$`))]);
  });

  it('answers --out writes the file whole and says how many rows', async () => {
    const file = path.join(old().home, 'answers.csv');
    const { code, err } = await run(['answers', '--batch', 'old-batch', '--out', file], env());
    expect(code).toBe(0);
    expect(err).toEqual([`wrote 3 rows to ${file}`]);
    expect((await readFile(file, 'utf8')).split('\n')[0]).toMatch(/^workflow_id,idempotency_key,/);
  });
});
