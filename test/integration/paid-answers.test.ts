import { openStore, type Store } from '../../src/store/db';
import { DbResultStore } from '../../src/store/db-store';
import { CloroStatusKey, type PromptSummary, type PromptTiming } from '../../workflows/definitions';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
import { type Harness, promptInput, startHarness } from '../helpers/prompt-harness';
import { startPrompt } from '../../src/prompts/start';

/**
 * A database that fails after cloro finished must not look like a cloro outage: the prompt
 * is paid for, so its answer is written as soon as the database is back, once — and a
 * database down past the horizon ends the prompt UNSTORED, saying where the answer still is.
 */
describe('a paid answer is never lost to a database outage', () => {
  let h: Harness;
  let pg: TestPostgres;
  let store: Store;

  beforeAll(async () => {
    pg = await startPostgres();
    store = await openStore({ url: pg.url, dataDir: '/nonexistent', poolSize: 4 });
  });
  afterAll(async () => {
    await store?.close();
    await pg?.stop();
  });
  afterEach(async () => {
    await h?.close();
  });

  /** Starts `n` prompts and returns once cloro has created every task (their submissions are stored by then). */
  async function startPrompts(taskQueue: string, n: number, timing: Partial<PromptTiming> = {}) {
    const handles = [];
    for (let i = 0; i < n; i++) {
      const input = promptInput({ prompt: `Which CRM fits a team of ${i + 2}?`, delivery: 'webhook' }, { timing });
      handles.push((await startPrompt(h.client, input, taskQueue)).handle);
    }
    await until(() => h.sim.sim.stats().tasks.created >= n);
    return handles;
  }

  it('stores every answer once when the database comes back, with no prompt EXPIRED or paid twice', async () => {
    h = await startHarness({ processingMs: { min: 1_500, max: 2_500 } });
    const results = new DbResultStore(store.db);
    const summaries = await h.withWorker(
      async (tq) => {
        const handles = await startPrompts(tq, 12);
        await pg.down();
        // Every task ends at cloro while the database is down: each prompt says so in the UI.
        await until(async () => {
          const statuses = await Promise.all(handles.map(async (hd) => (await hd.describe()).typedSearchAttributes.get(CloroStatusKey)));
          return statuses.every((s) => s === 'STORE_RETRYING');
        });
        await pg.up();
        return Promise.all(handles.map((hd) => hd.result() as Promise<PromptSummary>));
      },
      h.deps({ store: results }),
    );

    expect(summaries.map((s) => s.status)).toEqual(Array(12).fill('COMPLETED'));
    const stats = h.sim.sim.stats();
    expect(stats.tasks.created).toBe(12);
    expect(summaries.reduce((sum, s) => sum + s.creditsCharged, 0)).toBe(stats.credits.charged);
    for (const s of summaries) {
      const record = await results.get(s.resultRef!);
      expect(record).toMatchObject({ status: 'COMPLETED', taskId: s.taskId });
      expect(record?.result?.text?.length).toBe(s.textLength);
    }
    const answers = await store.db
      .selectFrom('answers')
      .select(({ fn }) => fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(answers.n)).toBe(12);
  });

  it('ends UNSTORED, with the credits charged and where to read the answer, when the database stays down past the horizon', async () => {
    h = await startHarness({ processingMs: { min: 300, max: 500 } });
    const results = new DbResultStore(store.db);
    const summary = await h.withWorker(
      async (tq) => {
        const [handle] = await startPrompts(tq, 1, { storeHorizonMs: 6_000 });
        await pg.down();
        try {
          return (await handle!.result()) as PromptSummary;
        } finally {
          await pg.up();
        }
      },
      h.deps({ store: results }),
    );

    expect(summary).toMatchObject({ status: 'UNSTORED', creditsCharged: 5, resultRef: null, attempts: 1 });
    expect(summary.error?.code).toBe('UNSTORED');
    expect(summary.error?.message).toContain(`GET /v1/async/task/${summary.taskId}`);
    expect(summary.error?.message).not.toMatch(/postgres:\/\/\S+@/);
    expect(h.sim.sim.stats().credits.charged).toBe(5);
  });
});

async function until(ready: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
