/**
 * Monitor benchmark (issue #12): one brand monitor of 40 prompts × 4 engines × 3 countries ×
 * 3 samples = 1,440 prompts a run, created with createMonitor and run once with
 * triggerMonitor against the simulator, then a baseline in the same process tree — the same
 * 1,440 prompts as a plain batch, nothing scored — and the ratio of the two. Also times the
 * analysis on the stored answers (scoreRun whole, and analyzeAnswer + runMetrics alone) and
 * the report (Markdown and HTML).
 *
 *   npm run build && node dist/bench/monitor.js [--prompts 40] [--samples 3]
 *
 * Uses TEMPORAL_ADDRESS when set, else starts a dev server of its own (see stack.ts).
 */
import { randomUUID } from 'node:crypto';
import { Command } from 'commander';
import { z } from 'zod';
import { analyzeAnswer, runMetrics } from '../src/analysis';
import { startBatch } from '../src/batches/start';
import { cellsOf, minimumRunCost, trackedOf, validateMonitor, type Monitor } from '../src/monitors/definition';
import { createMonitor, pauseMonitor, triggerMonitor, type MonitorSession } from '../src/monitors/manage';
import { reportInput } from '../src/monitors/report-input';
import { scoreRun } from '../src/monitors/score-run';
import type { PromptRequest } from '../src/prompts/request';
import { renderReport } from '../src/reports';
import type { RunRow } from '../src/store/monitors';
import type { PromptRecord } from '../src/store/record';
import { waitForResult } from '../src/temporal/result';
import { loadAverage, onPlan, openBenchEnv, PlanOptionsSchema, withPlanOptions, type BenchEnv } from './stack';
import { formatLatency, formatPerPrompt, perPrompt, type WriteLatencies } from './store-meter';

const OptionsSchema = PlanOptionsSchema.extend({
  prompts: z.coerce.number().int().positive(),
  samples: z.coerce.number().int().positive(),
  repeat: z.coerce.number().int().positive(),
  timeoutMinutes: z.coerce.number().positive(),
  baseline: z.boolean(),
});
type Options = z.infer<typeof OptionsSchema>;

const ENGINES = ['CHATGPT', 'PERPLEXITY', 'GEMINI', 'AIMODE'] as const;
const COUNTRIES = ['US', 'GB', 'DE'];

interface RunFigures {
  label: string;
  prompts: number;
  completed: number;
  seconds: number;
  promptsPerSecond: number;
  apiCallsPerPrompt: number;
  peakRssMB: number;
  writes: WriteLatencies;
  bytesPerPrompt: { database: number; dataDir: number | null };
  load: string;
}

async function main(): Promise<void> {
  const raw = withPlanOptions(new Command('bench-monitor'))
    .option('--prompts <n>', "the monitor's prompts", '40')
    .option('--samples <n>', 'samples per cell', '3')
    .option('--repeat <n>', 'times the analysis and the reports are timed (the mean is printed)', '5')
    .option('--timeout-minutes <m>', 'give up on a run after this long', '60')
    .option('--no-baseline', 'skip the plain-batch baseline')
    .parse()
    .opts();
  const opts = OptionsSchema.parse(raw);
  const monitor = benchMonitor(opts);
  const cells = cellsOf(monitor);
  const env = await openBenchEnv(opts.databaseUrl);
  try {
    console.log(
      `temporal ${env.address} · monitor of ${monitor.prompts.length} prompts × ${monitor.engines.length} engines × ${monitor.countries.length} countries × ` +
        `${opts.samples} samples = ${cells.length} prompts · plan concurrency ${opts.concurrency} · time scale ${opts.timeScale} · ` +
        `task ${opts.taskMs} cloro ms ±50% · answers in ${env.store.engine === 'pglite' ? 'embedded PGlite (in process)' : 'PostgreSQL'} · load average ${loadAverage()}`,
    );
    const { figures: run, row } = await measure(env, 'monitor run (createMonitor + triggerMonitor)', cells.length, opts, (taskQueue) =>
      runMonitor(env, monitor, taskQueue, opts),
    );
    printRun(run);
    await printAnalysis(env, monitor, row, opts.repeat);
    if (opts.baseline) {
      // A key per cell, as the monitor derives one per sample: keys derived from the request
      // alone would make the samples of a cell one prompt, run once.
      const tag = randomUUID().slice(0, 8);
      const requests = cells.map((c, i): PromptRequest => ({
        taskType: c.engine,
        prompt: c.prompt,
        country: c.country,
        delivery: 'webhook',
        idempotencyKey: `plain-${tag}-${i}`,
        labels: { sample: String(c.sample) },
      }));
      const { figures: plain } = await measure(env, 'plain batch, same prompts, not scored', requests.length, opts, (taskQueue) =>
        runPlainBatch(env, requests, taskQueue, opts),
      );
      printRun(plain);
      printRatio(run, plain);
    }
  } finally {
    await env.close();
  }
}

function benchMonitor(opts: Options): Monitor {
  const subjects = ['CRM', 'sales pipeline tool', 'marketing automation platform', 'help desk', 'email marketing tool'];
  const asks = [
    'What is the best',
    'Which',
    'Recommend a',
    'Compare the leading',
    'What is the cheapest good',
    'Which enterprise-ready',
    'What is the easiest',
    'Which open',
  ];
  const prompts = Array.from({ length: opts.prompts }, (_, i) => ({
    text: `${asks[i % asks.length]} ${subjects[Math.floor(i / asks.length) % subjects.length]} for a team of ${5 + i} people?`,
    tags: [i % 2 === 0 ? 'category' : 'comparison'],
  }));
  const draft = {
    id: `bench-${randomUUID().slice(0, 8)}`,
    brand: { name: 'HubSpot', aliases: ['HubSpot CRM'], domains: ['hubspot.com'] },
    competitors: [
      { name: 'Salesforce', domains: ['salesforce.com'] },
      { name: 'Pipedrive', domains: ['pipedrive.com'] },
      { name: 'Zoho', aliases: ['Zoho CRM'], domains: ['zoho.com'] },
    ],
    prompts,
    engines: [...ENGINES],
    countries: COUNTRIES,
    samples: opts.samples,
    cadence: { every: '1d' },
    budgetPerRun: 1,
    delivery: 'webhook',
  };
  // A budget well above one run's cost, so the budget never stops the run being measured.
  const budgetPerRun = 10 * minimumRunCost({ ...draft, engines: [...ENGINES] });
  const parsed = validateMonitor({ ...draft, budgetPerRun });
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return parsed.monitor;
}

async function measure<T>(
  env: BenchEnv,
  label: string,
  prompts: number,
  opts: Options,
  run: (taskQueue: string) => Promise<{ completed: number } & T>,
): Promise<{ figures: RunFigures } & T> {
  return onPlan(env, label, prompts, opts, async (plan) => {
    const sizeBefore = await env.size();
    env.results.take();
    const started = performance.now();
    const outcome = await run(plan.taskQueue);
    const seconds = (performance.now() - started) / 1000;
    const writes = env.results.take();
    const sizeAfter = await env.size();
    return {
      ...outcome,
      figures: {
        label,
        prompts,
        completed: outcome.completed,
        seconds,
        promptsPerSecond: prompts / seconds,
        apiCallsPerPrompt: plan.apiCalls() / prompts,
        peakRssMB: plan.peakRssMB(),
        writes,
        bytesPerPrompt: perPrompt(sizeBefore, sizeAfter, prompts),
        load: loadAverage(),
      },
    };
  });
}

/** Created and triggered as the CLI does it; done when the store has the run finished and scored. */
async function runMonitor(env: BenchEnv, monitor: Monitor, taskQueue: string, opts: Options): Promise<{ completed: number; row: RunRow }> {
  const s: MonitorSession = { client: env.client, monitors: env.monitors, results: env.results, taskQueue };
  await createMonitor(s, monitor);
  await triggerMonitor(s, monitor.id);
  const deadline = Date.now() + opts.timeoutMinutes * 60_000;
  try {
    for (;;) {
      const [row] = await env.monitors.listRuns(monitor.id, { limit: 1 });
      if (row?.finishedAt && row.metrics) {
        return { completed: (row.progress as { completed?: number } | null)?.completed ?? 0, row };
      }
      if (Date.now() > deadline) throw new Error(`the monitor run did not finish in ${opts.timeoutMinutes} minutes`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    // No further run is due for a day, but a paused schedule says so plainly.
    await pauseMonitor(s, monitor.id, 'bench done');
  }
}

async function runPlainBatch(env: BenchEnv, requests: PromptRequest[], taskQueue: string, opts: Options): Promise<{ completed: number }> {
  const { handle } = await startBatch(env.client, {
    batchId: `bench-${randomUUID().slice(0, 8)}`,
    requests,
    taskQueue,
    promptSets: env.results,
  });
  const deadline = setTimeout(() => void handle.terminate('bench timeout').catch(() => undefined), opts.timeoutMinutes * 60_000);
  try {
    return { completed: (await waitForResult(handle)).completed };
  } finally {
    clearTimeout(deadline);
  }
}

/** The analysis, timed on the run's stored answers: scoreRun whole (reads included), then the pure analysis alone. */
async function printAnalysis(env: BenchEnv, monitor: Monitor, row: RunRow, repeat: number): Promise<void> {
  const records: PromptRecord[] = [];
  const read = await timedMean(repeat, async () => {
    records.length = 0;
    for (let after: string | undefined; ;) {
      const page = await env.results.listBatch(row.batchId, { after, limit: 500 });
      records.push(...page.records);
      if (page.next === null) break;
      after = page.next;
    }
  });
  const scored = await timedMean(repeat, () => scoreRun(env.results, env.monitors, monitor.id, row.runId));
  const tracked = trackedOf(monitor);
  const tags = new Map(monitor.prompts.map((p) => [p.id, p.tags]));
  const completed = records.filter((r) => r.status === 'COMPLETED');
  const analysis = await timedMean(repeat, () => {
    const analyses = completed.map((r) =>
      analyzeAnswer(
        {
          ...r,
          runId: row.runId,
          runAt: row.scheduledAt,
          engine: r.taskType,
          promptId: r.labels.promptId ?? '',
          tags: tags.get(r.labels.promptId ?? '') ?? [],
          sample: Number(r.labels.sample ?? 1),
        },
        tracked,
      ),
    );
    return Promise.resolve(runMetrics(analyses, tracked, { runId: row.runId, runAt: row.scheduledAt }));
  });
  const { input } = await reportInput(env.monitors, monitor.id, { run: row.runId, last: 1 });
  const mdCold = await timedMean(1, () => renderReport(input, 'md'));
  const md = await timedMean(repeat, () => renderReport(input, 'md'));
  const htmlCold = await timedMean(1, () => renderReport(input, 'html'));
  const html = await timedMean(repeat, () => renderReport(input, 'html'));
  const per1000 = (ms: number) => `${((ms / Math.max(1, completed.length)) * 1000).toFixed(0)} ms per 1,000 answers`;
  console.log(`\nanalysis of the run's ${completed.length} stored answers (mean of ${repeat}; load average ${loadAverage()})`);
  console.log(`  scoreRun (reads + analysis + comparison)  ${scored.ms.toFixed(0)} ms · ${per1000(scored.ms)}`);
  console.log(`  reading the records (listBatch pages)     ${read.ms.toFixed(0)} ms · ${per1000(read.ms)}`);
  console.log(`  analyzeAnswer × n + runMetrics            ${analysis.ms.toFixed(0)} ms · ${per1000(analysis.ms)}`);
  console.log(`  metrics: ${analysis.value.overall.answers} answers · brand named in ${pct(analysis.value.overall.mentionRate.rate)}`);
  console.log(`report of the run`);
  console.log(`  Markdown  first ${mdCold.ms.toFixed(0)} ms · then ${md.ms.toFixed(1)} ms (${(md.value.length / 1024).toFixed(0)} KB)`);
  console.log(
    `  HTML      first ${htmlCold.ms.toFixed(0)} ms (loads the chart library) · then ${html.ms.toFixed(0)} ms (${(html.value.length / 1024).toFixed(0)} KB)`,
  );
}

async function timedMean<T>(times: number, fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  let value: T | undefined;
  const started = performance.now();
  for (let i = 0; i < times; i++) value = await fn();
  return { ms: (performance.now() - started) / times, value: value as T };
}

function pct(rate: number | null): string {
  return rate === null ? '–' : `${(rate * 100).toFixed(1)} %`;
}

function printRun(f: RunFigures): void {
  console.log(`\n${f.label}: ${f.prompts} prompts (${f.completed} completed) in ${f.seconds.toFixed(1)} s`);
  console.log(`  prompts/s                 ${f.promptsPerSecond.toFixed(2)}`);
  console.log(`  API calls per prompt      ${f.apiCallsPerPrompt.toFixed(2)}`);
  console.log(`  peak RSS                  ${f.peakRssMB.toFixed(0)} MB (worker, simulator and bridge share the process)`);
  console.log(`  store writes, all         ${formatLatency(f.writes.all)}`);
  console.log(`  database per prompt       ${formatPerPrompt(f.bytesPerPrompt)}`);
  console.log(`  load average              ${f.load} (1, 5, 15 min, at the end; other processes share the machine)`);
}

function printRatio(run: RunFigures, plain: RunFigures): void {
  const ratio = (a: number, b: number) => (b === 0 ? 'n/a' : `${(a / b).toFixed(2)}×`);
  console.log('\nmonitor run ÷ plain batch');
  console.log(`  wall time                 ${ratio(run.seconds, plain.seconds)}`);
  console.log(`  prompts/s                 ${ratio(run.promptsPerSecond, plain.promptsPerSecond)}`);
  console.log(`  API calls per prompt      ${ratio(run.apiCallsPerPrompt, plain.apiCallsPerPrompt)}`);
  console.log(`  store write p99           ${ratio(run.writes.all.p99, plain.writes.all.p99)}`);
  console.log(`  peak RSS                  ${ratio(run.peakRssMB, plain.peakRssMB)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
