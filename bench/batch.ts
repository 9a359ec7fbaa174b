/**
 * Batch benchmark: N prompts through batchWorkflow against the in-process simulator at a
 * high time scale, then a baseline in the same process tree — naive fan-out, every prompt
 * started at once with no window — and the ratio of the two.
 *
 *   npm run build && node dist/bench/batch.js --items 10000
 *
 * Uses TEMPORAL_ADDRESS when set, else starts an in-memory dev server of its own. Answers go
 * to the embedded database (PGlite in process, as `dev` runs it), or to PostgreSQL with
 * `--database-url`; every saveSubmission/saveOutcome is timed, and the database's growth
 * over each run gives the bytes per prompt.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { Command } from 'commander';
import { z } from 'zod';
import { startBatch, toBatchItems } from '../src/batches/start';
import { toWorkflowInput, type PromptRequest } from '../src/prompts/request';
import { startPrompt } from '../src/prompts/start';
import { waitForResult } from '../src/temporal/result';
import { progressQuery, promptWorkflowId } from '../workflows/definitions';
import { loadAverage, onPlan, openBenchEnv, PlanOptionsSchema, withPlanOptions, type BenchEnv } from './stack';
import { formatLatency, formatPerPrompt, perPrompt, type WriteLatencies } from './store-meter';

const OptionsSchema = PlanOptionsSchema.extend({
  items: z.coerce.number().int().positive(),
  baselineItems: z.coerce.number().int().min(0).optional(),
  sampleChildren: z.coerce.number().int().min(1),
  queueBuffer: z.coerce.number().int().min(0).optional(),
  eventBudget: z.coerce.number().int().positive().optional(),
});
type Options = z.infer<typeof OptionsSchema>;

interface Figures {
  label: string;
  items: number;
  seconds: number;
  promptsPerSecond: number;
  slotUtilization: number;
  steadyUtilization: number | null;
  steadySeconds: number;
  maxQueueDepth: number;
  /** Largest queue buffer the batch allowed itself (null for the naive baseline). */
  maxBuffer: number | null;
  apiCallsPerPrompt: number;
  historyEventsPerPrompt: number;
  peakRssMB: number;
  completed: number;
  writes: WriteLatencies;
  bytesPerPrompt: { database: number; dataDir: number | null };
}

async function main(): Promise<void> {
  const raw = withPlanOptions(new Command('bench-batch'))
    .option('--items <n>', 'prompts in the batch', '10000')
    .option('--baseline-items <n>', 'prompts in the naive fan-out baseline (default: min(items, 1000); 0 skips it)')
    .option('--sample-children <n>', 'child histories read to estimate events per prompt', '100')
    .option('--queue-buffer <n>', "the batch's queueBuffer (default: its own, grown from the measured round trip)")
    .option('--event-budget <n>', "history events after which the batch continues as new (default: the batch's)")
    .parse()
    .opts();
  const opts = OptionsSchema.parse(raw);
  const env = await openBenchEnv(opts.databaseUrl);
  try {
    console.log(
      `temporal ${env.address} · plan concurrency ${opts.concurrency} · time scale ${opts.timeScale} · task ${opts.taskMs} cloro ms ±50% · ` +
        `answers in ${env.store.engine === 'pglite' ? 'embedded PGlite (in process)' : 'PostgreSQL'} · load average ${loadAverage()}`,
    );
    const batch = await measure('batchWorkflow (window)', opts.items, opts, env, runBatch);
    print(batch);
    const baselineItems = opts.baselineItems ?? Math.min(opts.items, 1000);
    if (baselineItems > 0) {
      const naive = await measure('naive fan-out (no window)', baselineItems, opts, env, runNaive);
      print(naive);
      printRatio(batch, naive);
    }
  } finally {
    await env.close();
  }
}

type Runner = (
  env: BenchEnv,
  taskQueue: string,
  requests: PromptRequest[],
  opts: Options,
) => Promise<{ completed: number; workflowIds: string[]; events: number; maxBuffer: number | null }>;

async function measure(label: string, items: number, opts: Options, env: BenchEnv, run: Runner): Promise<Figures> {
  return onPlan(env, label, items, opts, async (plan) => {
    const requests = Array.from({ length: items }, (_, i): PromptRequest => ({
      taskType: 'CHATGPT',
      prompt: `How does vendor ${i} compare with Acme? (${plan.taskQueue})`,
      delivery: 'webhook',
    }));
    const sizeBefore = await env.size();
    env.results.take();
    const started = performance.now();
    const outcome = await run(env, plan.taskQueue, requests, opts);
    const seconds = (performance.now() - started) / 1000;
    const writes = env.results.take();
    const sizeAfter = await env.size();
    const slots = plan.meter.figures();
    const childEvents = await sampleEvents(env.client, outcome.workflowIds, opts.sampleChildren);
    return {
      label,
      items,
      seconds,
      promptsPerSecond: items / seconds,
      slotUtilization: slots.utilization,
      steadyUtilization: slots.steadyUtilization,
      steadySeconds: slots.steadySeconds,
      maxQueueDepth: slots.maxQueueDepth,
      maxBuffer: outcome.maxBuffer,
      apiCallsPerPrompt: plan.apiCalls() / items,
      historyEventsPerPrompt: childEvents + outcome.events / items,
      peakRssMB: plan.peakRssMB(),
      completed: outcome.completed,
      writes,
      bytesPerPrompt: perPrompt(sizeBefore, sizeAfter, items),
    };
  });
}

const runBatch: Runner = async (env, taskQueue, requests, opts) => {
  const batchId = `bench-${randomUUID().slice(0, 8)}`;
  const tuning = {
    ...(opts.queueBuffer === undefined ? {} : { queueBuffer: opts.queueBuffer }),
    ...(opts.eventBudget === undefined ? {} : { eventBudget: opts.eventBudget }),
  };
  const { handle } = await startBatch(env.client, {
    batchId,
    requests,
    taskQueue,
    promptSets: env.results,
    tuning,
  });
  // The buffer may grow with the measured round trip: sample it the way `batch status` would.
  let maxBuffer = 0;
  const sampler = setInterval(() => {
    handle
      .query(progressQuery)
      .then((p) => (maxBuffer = Math.max(maxBuffer, p.window.buffer)))
      .catch(() => undefined);
  }, 1_000);
  const progress = await waitForResult(handle).finally(() => clearInterval(sampler));
  return {
    maxBuffer: Math.max(maxBuffer, progress.window.buffer),
    completed: progress.completed,
    workflowIds: toBatchItems(batchId, requests).map((item) => promptWorkflowId(item.idempotencyKey)),
    events: await chainEvents(env.client, handle.workflowId),
  };
};

/** The baseline: every prompt started at once, the way a naive client fans out. */
const runNaive: Runner = async (env, taskQueue, requests) => {
  const scope = { scope: `naive-${taskQueue}`, runAt: '' };
  const started: Awaited<ReturnType<typeof startPrompt>>[] = [];
  for (let i = 0; i < requests.length; i += 100) {
    started.push(
      ...(await Promise.all(requests.slice(i, i + 100).map((r) => startPrompt(env.client, toWorkflowInput(r, scope), taskQueue)))),
    );
  }
  const summaries = await Promise.all(started.map((s) => waitForResult(s.handle)));
  return {
    completed: summaries.filter((s) => s.status === 'COMPLETED').length,
    workflowIds: started.map((s) => s.workflowId),
    events: 0,
    maxBuffer: null,
  };
};

/** The batch's own events across its continue-as-new chain (every run of its workflow id). */
async function chainEvents(client: Client, workflowId: string): Promise<number> {
  let total = 0;
  for await (const run of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    total += (await client.workflow.getHandle(workflowId, run.runId).fetchHistory()).events?.length ?? 0;
  }
  return total;
}

/** Mean history length of a sample of prompt workflows (reading 10,000 histories would take longer than the run). */
async function sampleEvents(client: Client, workflowIds: string[], sample: number): Promise<number> {
  const step = Math.max(1, Math.floor(workflowIds.length / sample));
  const picked = workflowIds.filter((_, i) => i % step === 0).slice(0, sample);
  const lengths = await Promise.all(picked.map(async (id) => (await client.workflow.getHandle(id).fetchHistory()).events?.length ?? 0));
  return lengths.reduce((a, b) => a + b, 0) / Math.max(1, lengths.length);
}

function print(f: Figures): void {
  console.log(`\n${f.label}: ${f.items} prompts (${f.completed} completed) in ${f.seconds.toFixed(1)} s`);
  console.log(`  prompts/s                 ${f.promptsPerSecond.toFixed(2)}`);
  console.log(`  slot utilization          ${(f.slotUtilization * 100).toFixed(1)} % (whole run)`);
  console.log(
    `  steady-state utilization  ${f.steadyUtilization === null ? 'n/a' : `${(f.steadyUtilization * 100).toFixed(1)} % over ${f.steadySeconds.toFixed(1)} s`} (from all slots busy to the last task started)`,
  );
  console.log(
    `  max cloro queue depth     ${f.maxQueueDepth}${f.maxBuffer === null ? '' : ` (largest buffer the batch allowed itself: ${f.maxBuffer})`}`,
  );
  console.log(`  API calls per prompt      ${f.apiCallsPerPrompt.toFixed(2)}`);
  console.log(`  history events per prompt ${f.historyEventsPerPrompt.toFixed(1)} (child sample + batch runs)`);
  console.log(`  peak RSS                  ${f.peakRssMB.toFixed(0)} MB (worker, simulator and bridge share the process)`);
  console.log(`  store writes, all         ${formatLatency(f.writes.all)}`);
  console.log(`    saveSubmission          ${formatLatency(f.writes.submission)}`);
  console.log(`    saveOutcome             ${formatLatency(f.writes.outcome)}`);
  console.log(`  database per prompt       ${formatPerPrompt(f.bytesPerPrompt)}`);
  console.log(`  load average              ${loadAverage()} (1, 5, 15 min; other processes share the machine)`);
}

function printRatio(batch: Figures, naive: Figures): void {
  const ratio = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? 'n/a' : `${(a / b).toFixed(2)}×`);
  console.log('\nwindow ÷ naive');
  console.log(`  prompts/s                 ${ratio(batch.promptsPerSecond, naive.promptsPerSecond)}`);
  console.log(`  slot utilization          ${ratio(batch.slotUtilization, naive.slotUtilization)}`);
  console.log(`  steady-state utilization  ${ratio(batch.steadyUtilization, naive.steadyUtilization)}`);
  console.log(`  max cloro queue depth     ${ratio(batch.maxQueueDepth, naive.maxQueueDepth)}`);
  console.log(`  API calls per prompt      ${ratio(batch.apiCallsPerPrompt, naive.apiCallsPerPrompt)}`);
  console.log(`  history events per prompt ${ratio(batch.historyEventsPerPrompt, naive.historyEventsPerPrompt)}`);
  console.log(`  store write p50           ${ratio(batch.writes.all.p50, naive.writes.all.p50)}`);
  console.log(`  store write p99           ${ratio(batch.writes.all.p99, naive.writes.all.p99)}`);
  console.log(`  database per prompt       ${ratio(batch.bytesPerPrompt.database, naive.bytesPerPrompt.database)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
