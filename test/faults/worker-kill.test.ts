/**
 * Worker processes SIGKILLed mid-batch — while creates are in flight, inside submission and
 * answer writes held by a table lock (the kill during the wait is
 * worker-kill-wait.fast.test.ts, part of `npm test`) — and one worker of two killed: a fresh
 * worker (or the survivor) finishes every prompt, each paid once. An activity of a killed
 * worker is retried once its heartbeat timeout (20 s, workflows/retry-policies.ts) passes.
 */
import { Client as PgClient } from 'pg';
import { countEvents, runScenario, until } from './scenario';
import { useFaultStack } from './stack';
import { finished, startFaultBatch } from './workload';

const PROMPTS = 50;
const BUDGET_MS = 200_000;
const TEST_MS = 300_000;

const startStack = useFaultStack();

describe('worker SIGKILL', () => {
  it(
    'completes every prompt once after the worker is killed while creates are in flight',
    async () => {
      const s = await startStack({ sim: { concurrency: 20 } });
      const created = countEvents(s.sim.sim, 'task:created');
      // Every create takes 1.5 s to answer: a kill lands while several are in flight.
      s.sim.sim.addFaults({ slow: { route: 'POST /v1/async/task', ms: 1_500, rate: 1 } });
      const first = await s.startWorker();
      await runScenario('worker SIGKILL during create', s, BUDGET_MS, async () => {
        const batch = await startFaultBatch(s, PROMPTS);
        await until('the first creates to land', () => created() >= 3);
        await first.stop('SIGKILL');
        s.sim.sim.clearFaults();
        await s.startWorker();
        return finished(batch);
      });
    },
    TEST_MS,
  );

  // A transaction of ours holds a table: every write to it waits inside its own transaction,
  // so the kill lands mid-write, not merely near one. Watched from a second session: inside
  // the locking transaction pg_stat_activity is a snapshot taken at its first read, so polling
  // it there never sees a write arrive.
  //
  // Submissions are written before the create, so their lock is taken before the batch starts
  // and nothing has reached cloro when the kill lands. A submission clears any earlier answer
  // of its prompt, so locking the answers table from the start holds submissions too: the
  // answer writes are held by taking that lock only once every task is created (all 50 at
  // once, 4–6 s each), before the first finishes — the kill then lands after cloro charged.
  it.each([
    { scenario: 'worker SIGKILL inside the submission write', table: 'submissions', sim: { concurrency: 10 }, afterCreates: false },
    {
      scenario: 'worker SIGKILL inside the store write',
      table: 'answers',
      sim: { concurrency: PROMPTS, processingMs: { min: 200_000, max: 300_000 } },
      afterCreates: true,
    },
  ])(
    'completes every prompt once after the worker is killed inside its writes to $table',
    async ({ scenario, table, sim, afterCreates }) => {
      const s = await startStack({ sim });
      const created = countEvents(s.sim.sim, 'task:created');
      const first = await s.startWorker();
      const [lock, watch] = [new PgClient({ connectionString: s.pg.url }), new PgClient({ connectionString: s.pg.url })];
      await Promise.all([lock.connect(), watch.connect()]);
      const lockTable = () => lock.query(`begin; lock table ${table} in exclusive mode`);
      try {
        await runScenario(scenario, s, BUDGET_MS, async () => {
          if (!afterCreates) await lockTable();
          const batch = await startFaultBatch(s, PROMPTS);
          if (afterCreates) {
            await until('every task to be created', () => created() >= PROMPTS);
            await lockTable();
          }
          await until(`writes to ${table} to wait on the lock`, async () => (await writesWaiting(watch)) >= 3);
          await first.stop('SIGKILL');
          const { completed } = s.sim.sim.stats().tasks;
          if (afterCreates) expect(completed).toBeGreaterThanOrEqual(3);
          else expect(created()).toBe(0);
          await lock.query('rollback');
          await s.startWorker();
          return finished(batch);
        });
      } finally {
        await Promise.all([lock.end(), watch.end()]);
      }
    },
    TEST_MS,
  );

  it(
    'completes every prompt once on the surviving worker when one of two is killed mid-batch',
    async () => {
      const s = await startStack({ sim: { concurrency: 10 } });
      const done = countEvents(s.sim.sim, 'task:finished');
      const [doomed] = await Promise.all([s.startWorker(), s.startWorker()]);
      await runScenario('two workers, one SIGKILLed mid-batch', s, BUDGET_MS, async () => {
        const batch = await startFaultBatch(s, PROMPTS);
        await until('the batch to be half done', () => done() >= PROMPTS / 2);
        await doomed!.stop('SIGKILL');
        return finished(batch);
      });
    },
    TEST_MS,
  );
});

/** Sessions of the database waiting on a lock: the worker's writes held by ours. */
async function writesWaiting(client: PgClient): Promise<number> {
  const { rows } = await client.query<{ n: string }>("select count(*) as n from pg_stat_activity where wait_event_type = 'Lock'");
  return Number(rows[0]?.n ?? 0);
}
