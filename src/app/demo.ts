/**
 * The demo `npm start` runs: a small brand-monitoring round ("best CRM for startups" across
 * engines and countries, webhook and polling delivery both used), each prompt a workflow
 * started through startPrompt, with live progress and a summary table at the end.
 * Keys derive from a per-run scope, so every run starts fresh prompts.
 */
import type { Client } from '@temporalio/client';
import type { TaskType } from '../cloro/schemas';
import { type PromptCounts, promptCountsBar } from '../cli/progress-bar';
import { toWorkflowInput } from '../prompts/request';
import { startPrompt } from '../prompts/start';
import { webUiLink } from '../temporal/links';
import { pollForResult } from '../temporal/result';
import type { PromptOutcome, PromptSummary, PromptTiming } from '../../workflows/definitions';

export interface DemoPrompt {
  taskType: TaskType;
  prompt: string;
  country: string;
  delivery: 'webhook' | 'poll';
}

export const DEMO_PROMPTS: readonly DemoPrompt[] = [
  {
    taskType: 'CHATGPT',
    country: 'US',
    delivery: 'webhook',
    prompt: 'What is the best CRM for startups? Compare HubSpot, Salesforce and Pipedrive.',
  },
  {
    taskType: 'PERPLEXITY',
    country: 'US',
    delivery: 'poll',
    prompt: 'HubSpot vs Salesforce vs Pipedrive: which CRM is the best value for a 10-person startup?',
  },
  {
    taskType: 'GEMINI',
    country: 'GB',
    delivery: 'webhook',
    prompt: 'Which CRM do UK startups recommend: HubSpot, Salesforce or Pipedrive?',
  },
  { taskType: 'GOOGLE', country: 'US', delivery: 'poll', prompt: 'best CRM for startups HubSpot Salesforce Pipedrive' },
  { taskType: 'AIMODE', country: 'DE', delivery: 'webhook', prompt: 'Bestes CRM für Startups: HubSpot, Salesforce oder Pipedrive?' },
  { taskType: 'COPILOT', country: 'US', delivery: 'poll', prompt: 'Is Pipedrive a good alternative to Salesforce for a small sales team?' },
  {
    taskType: 'GROK',
    country: 'BR',
    delivery: 'webhook',
    prompt: 'Which CRM do Brazilian startups use most: HubSpot, Salesforce or Pipedrive?',
  },
];

/** Quicker than the production defaults so the demo finishes in seconds; still the real code paths. */
const DEMO_TIMING: Partial<PromptTiming> = { pollInitialMs: 1_000, pollFactor: 1.5, pollMaxMs: 5_000, safetyPollMs: 30_000 };

export interface DemoOptions {
  client: Client;
  taskQueue: string;
  namespace: string;
  /** Web UI base for per-prompt links; null when the server has none we know. */
  uiUrl: string | null;
  /** false → cloro cannot reach a bridge: webhook prompts poll instead. */
  webhooks: boolean;
  prompts?: readonly DemoPrompt[];
  /** Start time of the run; it names the run's scope (default now). */
  runAt?: Date;
  /** Prompts still running after this are reported as TIMED OUT (they keep running). */
  timeoutMs?: number;
  /** Aborting stops the waiting (prompts keep running); they are reported as INTERRUPTED. */
  signal?: AbortSignal;
  /** Where progress goes (default stdout): a bar on a TTY, plain lines otherwise. */
  out?: NodeJS.WriteStream;
}

export type DemoStatus = PromptOutcome | 'ERROR' | 'TIMED OUT' | 'INTERRUPTED';

export interface DemoRow {
  taskType: TaskType;
  country: string;
  delivery: 'webhook' | 'poll';
  workflowId: string;
  link: string | null;
  status: DemoStatus;
  summary: PromptSummary | null;
  /** Why it did not complete (cloro's error, a workflow failure, the timeout). */
  error: string | null;
}

export interface DemoReport {
  /** Scope of the run's keys and the batch id every prompt carries (search `CloroBatchId`). */
  runId: string;
  rows: DemoRow[];
  /** Every prompt COMPLETED. */
  ok: boolean;
  durationMs: number;
}

export const DEFAULT_DEMO_TIMEOUT_MS = 120_000;

export async function runDemo(options: DemoOptions): Promise<DemoReport> {
  const started = Date.now();
  const runAt = options.runAt ?? new Date();
  const runId = `demo-${runAt.toISOString().replace(/[:.]/g, '').replace('T', '-').slice(0, 20)}`;
  const prompts = (options.prompts ?? DEMO_PROMPTS).map((p) => ({ ...p, delivery: options.webhooks ? p.delivery : ('poll' as const) }));

  const rows: DemoRow[] = [];
  const waiting = new Set<DemoRow>();
  const results: Array<Promise<void>> = [];
  const timeoutMs = options.timeoutMs ?? DEFAULT_DEMO_TIMEOUT_MS;
  // One abort ends every wait: the timeout, or the caller's signal (Ctrl-C).
  const waits = new AbortController();
  const timer = setTimeout(() => waits.abort('timeout'), timeoutMs);
  const interrupt = () => waits.abort('interrupted');
  if (options.signal?.aborted) interrupt();
  options.signal?.addEventListener('abort', interrupt, { once: true });
  const progress = startProgress(options.out ?? process.stdout, prompts.length);
  try {
    for (const p of prompts) {
      if (waits.signal.aborted) break;
      const input = toWorkflowInput(
        { taskType: p.taskType, prompt: p.prompt, country: p.country, delivery: p.delivery, batchId: runId, labels: { demo: runId } },
        { scope: 'demo', runAt: runAt.toISOString() },
        { timing: DEMO_TIMING },
      );
      const { workflowId, handle } = await startPrompt(options.client, input, options.taskQueue);
      const row: DemoRow = {
        taskType: p.taskType,
        country: p.country,
        delivery: p.delivery,
        workflowId,
        link: options.uiUrl ? webUiLink(options.uiUrl, options.namespace, workflowId) : null,
        status: 'TIMED OUT',
        summary: null,
        error: null,
      };
      rows.push(row);
      waiting.add(row);
      progress.started();
      const settle = (update: Pick<DemoRow, 'status' | 'summary' | 'error'>) => {
        if (waits.signal.aborted) return; // reported below as timed out or interrupted
        Object.assign(row, update);
        waiting.delete(row);
        progress.finished(update.status === 'COMPLETED');
      };
      results.push(
        pollForResult(options.client, handle, waits.signal).then(
          (summary) =>
            summary &&
            settle({ status: summary.status, summary, error: summary.error ? `${summary.error.code}: ${summary.error.message}` : null }),
          (err: unknown) => settle({ status: 'ERROR', summary: null, error: describeFailure(err) }),
        ),
      );
    }
    await Promise.all(results);
    const interrupted = waits.signal.reason === 'interrupted';
    for (const row of waiting) {
      row.status = interrupted ? 'INTERRUPTED' : 'TIMED OUT';
      row.error = interrupted ? 'stopped waiting (interrupted)' : `still running after ${Math.round(timeoutMs / 1000)} s`;
    }
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', interrupt);
    progress.stop();
  }
  return {
    runId,
    rows,
    ok: rows.length === prompts.length && rows.every((r) => r.status === 'COMPLETED'),
    durationMs: Date.now() - started,
  };
}

/** A WorkflowFailedError's useful part is its cause ("CloroAuthError: …"). */
function describeFailure(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
}

interface Progress {
  started(): void;
  finished(completed: boolean): void;
  stop(): void;
}

/** A cli-progress bar on a terminal; elsewhere (CI, pipes, tests) one plain line per change. */
function startProgress(out: NodeJS.WriteStream, total: number): Progress {
  const counts: PromptCounts = { completed: 0, failed: 0, inFlight: 0 };
  const done = () => counts.completed + counts.failed;
  if (out.isTTY) {
    const bar = promptCountsBar('demo', '{duration_formatted}', { stream: out, barsize: 24, etaBuffer: total });
    bar.start(total, 0, counts);
    return {
      started: () => {
        counts.inFlight++;
        bar.update(done(), counts);
      },
      finished: (completed) => {
        counts.inFlight--;
        counts[completed ? 'completed' : 'failed']++;
        bar.update(done(), counts);
      },
      stop: () => bar.stop(),
    };
  }
  const line = () =>
    out.write(`demo: ${done()}/${total} done — ${counts.completed} completed, ${counts.failed} failed, ${counts.inFlight} in flight\n`);
  let allStarted = false;
  return {
    started: () => {
      counts.inFlight++;
      // Starting is quick; one line once every prompt is in flight says enough.
      if (counts.inFlight + done() === total && !allStarted) {
        allStarted = true;
        line();
      }
    },
    finished: (completed) => {
      counts.inFlight--;
      counts[completed ? 'completed' : 'failed']++;
      line();
    },
    stop: () => undefined,
  };
}

/** The report as lines: one table row per prompt, then the Web UI links. */
export function formatDemoReport(report: DemoReport, ui: { uiUrl: string | null; namespace: string }): string[] {
  const header = ['engine', 'country', 'delivery', 'status', 'credits', 'sources', 'chars', 'model'];
  const table = report.rows.map((r) => [
    r.taskType,
    r.country,
    r.delivery,
    r.status,
    r.summary ? String(r.summary.creditsCharged) : '-',
    r.summary ? String(r.summary.sourcesCount) : '-',
    r.summary ? String(r.summary.textLength) : '-',
    r.summary?.model ?? '-',
  ]);
  const numeric = new Set([4, 5, 6]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => (row[i] ?? '').length)));
  const render = (cells: string[]) =>
    cells
      .map((c, i) => (numeric.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();

  const completed = report.rows.filter((r) => r.status === 'COMPLETED').length;
  const credits = report.rows.reduce((n, r) => n + (r.summary?.creditsCharged ?? 0), 0);
  const lines = [
    '',
    `Demo ${report.runId}: ${completed}/${report.rows.length} completed, ${credits} credits, ${(report.durationMs / 1000).toFixed(1)} s`,
    '',
    render(header),
    render(widths.map((w) => '-'.repeat(w))),
    ...table.map(render),
  ];
  const problems = report.rows.filter((r) => r.error);
  if (problems.length) {
    lines.push('', ...problems.map((r) => `${r.taskType} ${r.country}: ${r.error}`));
  }
  if (ui.uiUrl) {
    const query = encodeURIComponent(`CloroBatchId="${report.runId}"`);
    const links: Array<[string, string]> = [
      ...report.rows.flatMap((r): Array<[string, string]> => (r.link ? [[`${r.taskType} ${r.country}`, r.link]] : [])),
      ['all of them', `${ui.uiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(ui.namespace)}/workflows?query=${query}`],
    ];
    const labelWidth = Math.max(...links.map(([label]) => label.length));
    lines.push('', 'In the Web UI:', ...links.map(([label, link]) => `  ${label.padEnd(labelWidth)}  ${link}`));
    lines.push('', `Web UI: ${ui.uiUrl}`);
  } else {
    lines.push('', `Workflows: ${report.rows.map((r) => r.workflowId).join(', ')}`);
  }
  const answered = report.rows.find((r) => r.status === 'COMPLETED');
  if (answered) lines.push('', `Full answers are in the results store, e.g. \`npm run cli -- result ${answered.workflowId}\``);
  return lines;
}
