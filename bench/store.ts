/**
 * Store benchmark: opens each engine, writes a prompt set of N items, reads it back in
 * pages, writes and reads prompt records (one with a 1 MB answer), and prints the timings.
 *
 *   npm run build && node dist/bench/store.js --items 100000 [--url postgres://…]
 *
 * Always measures the embedded PGlite (a temp data dir) and the same database served over
 * the wire; `--url` adds a PostgreSQL server (the bench creates no database of its own:
 * give it a scratch one).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import type { BatchItem } from '../workflows/definitions';
import { openStore, type Store } from '../src/store/db';
import { DbResultStore } from '../src/store/db-store';
import { serveEmbedded } from '../src/store/embedded';

const Options = z.object({
  items: z.coerce.number().int().min(1),
  page: z.coerce.number().int().min(1),
  records: z.coerce.number().int().min(1),
  url: z.string().optional(),
});
type Options = z.infer<typeof Options>;

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const value = await fn();
  console.log(`  ${label.padEnd(44)} ${(performance.now() - started).toFixed(0).padStart(7)} ms`);
  return value;
}

function item(n: number): BatchItem {
  return {
    idempotencyKey: `bench-${n}`,
    request: { taskType: 'CHATGPT', payload: { prompt: `prompt number ${n}`, country: 'US' }, priority: 5 },
    delivery: 'poll',
    labels: { n: String(n) },
  };
}

async function measure(name: string, store: Store, opts: Options): Promise<void> {
  console.log(name);
  const results = new DbResultStore(store.db);
  const set = `bench-${Date.now()}`;
  const items = Array.from({ length: opts.items }, (_, n) => item(n));
  await timed(`write prompt set of ${opts.items}`, () => results.writePromptSet(set, items));
  let pages = 0;
  await timed(`read it in pages of ${opts.page}`, async () => {
    for (let offset = 0; offset < opts.items; pages++) offset = (await results.readPromptSetPage(set, offset, opts.page)).nextOffset;
  });
  await timed(`last page again`, () => results.readPromptSetPage(set, opts.items - opts.page, opts.page));
  await timed(`${opts.records} submissions + outcomes`, async () => {
    for (let i = 0; i < opts.records; i++) {
      const workflowId = `${set}-wf-${i}`;
      await results.saveSubmission({
        workflowId,
        idempotencyKey: workflowId,
        taskType: 'CHATGPT',
        prompt: 'p',
        country: 'US',
        batchId: set,
        labels: {},
        submittedAt: new Date().toISOString(),
      });
      await results.saveOutcome(workflowId, {
        status: 'COMPLETED',
        taskId: `t-${i}`,
        credits: { creditsToCharge: 5, creditsCharged: 5 },
        result: { text: 'answer', sources: [{ url: 'https://a.example/' }, { url: 'https://b.example/' }] },
        error: null,
        fetchedAt: new Date().toISOString(),
      });
    }
  });
  await timed(`${opts.records} reads`, async () => {
    for (let i = 0; i < opts.records; i++) await results.get(`${set}-wf-${i}`);
  });
  const big = `${set}-big`;
  await results.saveSubmission({
    workflowId: big,
    idempotencyKey: big,
    taskType: 'CHATGPT',
    prompt: 'p',
    country: 'US',
    batchId: null,
    labels: {},
    submittedAt: new Date().toISOString(),
  });
  await timed('save a 1 MB answer', () =>
    results.saveOutcome(big, {
      status: 'COMPLETED',
      taskId: 'big',
      credits: null,
      result: { text: 'x'.repeat(1 << 20) },
      error: null,
      fetchedAt: new Date().toISOString(),
    }),
  );
  await timed('read it back', () => results.get(big));
}

async function main(): Promise<void> {
  const program = new Command()
    .option('--items <n>', 'prompt-set size', '100000')
    .option('--page <n>', 'page size', '200')
    .option('--records <n>', 'records written one by one', '500')
    .option('--url <url>', 'a PostgreSQL database to measure as well')
    .parse();
  const opts = Options.parse(program.opts());
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cloro-store-bench-'));
  try {
    const embedded = await timed('open + migrate embedded (PGlite)', () => openStore({ dataDir: path.join(dir, 'db') }));
    await measure('PGlite, in process', embedded, opts);
    const served = await serveEmbedded(embedded, 0);
    const remote = await openStore({ url: served.url, dataDir: dir });
    await measure('PGlite, served over the wire (pg)', remote, opts);
    await remote.close();
    await served.close();
    await embedded.close();
    if (opts.url) {
      const server = await timed('open + migrate PostgreSQL', () => openStore({ url: opts.url, dataDir: dir }));
      await measure('PostgreSQL server', server, opts);
      await server.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
