/**
 * The demo `npm start` runs: the CRM brand monitor (demo-monitor.ts) created or updated, two
 * runs triggered on its schedule one after the other — the second starts once the first is
 * scored, so it compares with it — each with live progress, then the report of the second:
 * its tables (what `report` prints) and its HTML file. The schedule stays, daily.
 * A triggered run is due when it is triggered, so every run is a new run with new keys.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ScheduleHandle } from '@temporalio/client';
import type { Monitor } from '../monitors/definition';
import { type MonitorSession, triggerMonitor } from '../monitors/manage';
import { reportInput } from '../monitors/report-input';
import { monitorBatchId } from '../monitors/stored';
import { renderReport, writeHtmlReport } from '../reports';
import { scheduleUiLink } from '../temporal/links';
import { pollForResult } from '../temporal/result';
import { monitorScheduleId, type MonitorRunSummary } from '../../workflows/definitions';
import type { monitorRunWorkflow } from '../../workflows/monitor-run';
import { demoMonitor, ensureDemoMonitor } from './demo-monitor';
import { readRunProgress, startRunProgress } from './demo-progress';

export { DEMO_MONITOR_ID, demoMonitor } from './demo-monitor';

const DEMO_RUNS = 2;
/** Runs the HTML report charts, ending at the demo's last (earlier starts on the same state dir add theirs). */
const REPORT_RUNS = 30;
const POLL_MS = 250;

export const DEFAULT_DEMO_TIMEOUT_MS = 120_000;

export interface DemoOptions {
  session: MonitorSession;
  /** Where the HTML report goes (`<state dir>/reports`, as for `report`). */
  reportsDir: string;
  /** Default: the demo monitor (demoMonitor()). */
  monitor?: Monitor;
  /** The demo stops waiting after this (the runs go on); it is then not ok. */
  timeoutMs?: number;
  /** Aborting stops the waiting (the runs go on). */
  signal?: AbortSignal;
  /** Where progress goes (default stdout): a bar on a TTY, plain lines otherwise. */
  out?: NodeJS.WriteStream;
}

export interface DemoReport {
  monitorId: string;
  brand: string;
  /** Whether this start created the monitor or updated the one an earlier start left. */
  setup: 'created' | 'updated';
  /** The runs that finished, in order. */
  runs: MonitorRunSummary[];
  /** The last run's report: Markdown tables and the HTML file; null when no run was scored. */
  markdown: string | null;
  htmlFile: string | null;
  /** One answer of the last run, for `result`. */
  sampleWorkflowId: string | null;
  /** Why the demo stopped short (timeout, interrupted); null when both runs finished. */
  problem: string | null;
  /** Both runs finished, every prompt completed, nothing paused. */
  ok: boolean;
  durationMs: number;
}

export async function runDemo(options: DemoOptions): Promise<DemoReport> {
  const started = Date.now();
  const s = options.session;
  const monitor = options.monitor ?? demoMonitor();
  const out = options.out ?? process.stdout;
  const timeoutMs = options.timeoutMs ?? DEFAULT_DEMO_TIMEOUT_MS;
  // One abort ends every wait: the timeout, or the caller's signal (Ctrl-C).
  const waits = new AbortController();
  const timer = setTimeout(() => waits.abort('timeout'), timeoutMs);
  const interrupt = () => waits.abort('interrupted');
  if (options.signal?.aborted) interrupt();
  options.signal?.addEventListener('abort', interrupt, { once: true });

  const runs: MonitorRunSummary[] = [];
  let setup: DemoReport['setup'];
  try {
    setup = await ensureDemoMonitor(s, monitor);
    for (let i = 1; i <= DEMO_RUNS && !waits.signal.aborted; i++) {
      const summary = await triggerAndWatch(s, monitor.id, `run ${i}/${DEMO_RUNS}`, waits.signal, out);
      if (summary) runs.push(summary);
    }
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', interrupt);
  }

  const problem = !waits.signal.aborted
    ? null
    : waits.signal.reason === 'timeout'
      ? `stopped waiting after ${Math.round(timeoutMs / 1000)} s; the runs go on (\`monitor describe ${monitor.id}\`)`
      : 'stopped waiting (interrupted); the runs go on';
  const report: DemoReport = {
    monitorId: monitor.id,
    brand: monitor.brand.name,
    setup,
    runs,
    markdown: null,
    htmlFile: null,
    sampleWorkflowId: null,
    problem,
    ok: false,
    durationMs: 0,
  };
  const last = runs.at(-1);
  if (last?.metrics) {
    const { input } = await reportInput(s.monitors, monitor.id, { run: last.runId, last: REPORT_RUNS });
    report.markdown = await renderReport(input, 'md');
    report.htmlFile = await writeHtmlReport(options.reportsDir, monitor.id, last.runId, await renderReport(input, 'html'));
    const page = await s.results.listBatch(monitorBatchId(monitor.id, last.scheduledAt), { limit: 1 });
    report.sampleWorkflowId = page.records[0]?.workflowId ?? null;
  }
  report.ok =
    problem === null &&
    runs.length === DEMO_RUNS &&
    runs.every((r) => r.skipped === null && r.paused === null && r.batch !== null && r.batch.completed === r.batch.total);
  report.durationMs = Date.now() - started;
  return report;
}

/** Triggers one run, shows its progress until it is scored, and returns its summary (undefined: stopped waiting). */
async function triggerAndWatch(
  s: MonitorSession,
  monitorId: string,
  label: string,
  signal: AbortSignal,
  out: NodeJS.WriteStream,
): Promise<MonitorRunSummary | undefined> {
  const schedule = s.client.schedule.getHandle(monitorScheduleId(monitorId));
  const before = (await schedule.describe()).info.numActionsTaken;
  await triggerMonitor(s, monitorId);
  const workflowId = await takenAction(schedule, before, signal);
  if (workflowId === undefined) return undefined;

  const progress = startRunProgress(out, label);
  const watching = new AbortController();
  const ticks = (async () => {
    while (!watching.signal.aborted) {
      const p = await readRunProgress(s.client, workflowId);
      if (p && !watching.signal.aborted) progress.update(p);
      await sleep(POLL_MS, undefined, { signal: watching.signal }).catch(() => undefined);
    }
  })();
  try {
    const handle = s.client.workflow.getHandle<typeof monitorRunWorkflow>(workflowId);
    // No query is left in flight once this returns (the caller may close the client).
    const summary = await pollForResult(s.client, handle, signal).finally(() => {
      watching.abort();
      return ticks;
    });
    if (summary?.batch) progress.update(summary.batch);
    return summary;
  } finally {
    progress.stop();
  }
}

/** The workflow id of the action the schedule takes after `before` actions (a trigger behind a running run waits for it). */
async function takenAction(schedule: ScheduleHandle, before: number, signal: AbortSignal): Promise<string | undefined> {
  while (!signal.aborted) {
    const { info } = await schedule.describe();
    if (info.numActionsTaken > before) {
      const newest = [...info.recentActions].sort((a, b) => a.takenAt.getTime() - b.takenAt.getTime()).at(-1);
      if (newest) return newest.action.workflow.workflowId;
    }
    await sleep(POLL_MS, undefined, { signal }).catch(() => undefined);
  }
  return undefined;
}

/** The report as lines: how each run went, the last run's tables, the HTML file, where to look next. */
export function formatDemoReport(report: DemoReport, ui: { uiUrl: string | null; namespace: string }): string[] {
  const id = report.monitorId;
  const lines = ['', `Monitor ${id} (${report.setup}): ${report.runs.length} run(s) in ${(report.durationMs / 1000).toFixed(1)} s`];
  for (const run of report.runs) {
    const b = run.batch;
    const rate = run.metrics?.mentionRate.rate;
    lines.push(
      `  ${run.runId}: ${b ? `${b.completed}/${b.total} answers, ${b.creditsCharged} credits` : 'no batch'}` +
        (rate === undefined || rate === null ? '' : `, ${report.brand} named in ${Math.round(rate * 100)} %`) +
        (run.skipped ? ` — skipped: ${run.skipped}` : '') +
        (run.paused ? ` — ${run.paused}` : ''),
    );
  }
  if (report.problem) lines.push('', report.problem);
  if (report.markdown) lines.push('', report.markdown.trimEnd());
  if (report.htmlFile) lines.push('', `HTML report: ${report.htmlFile}`);
  lines.push(
    '',
    `The schedule stays: a run every day. \`npm run cli -- monitor describe ${id}\` shows it, \`monitor trigger ${id}\` runs one now, \`report ${id}\` prints this again.`,
  );
  if (report.sampleWorkflowId)
    lines.push(`Full answers are in the results store, e.g. \`npm run cli -- result ${report.sampleWorkflowId}\``);
  if (ui.uiUrl) {
    const base = `${ui.uiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(ui.namespace)}`;
    lines.push(
      '',
      'In the Web UI:',
      `  the schedule       ${scheduleUiLink(ui.uiUrl, ui.namespace, monitorScheduleId(id))}`,
      `  runs and prompts   ${base}/workflows?query=${encodeURIComponent(`CloroMonitorId="${id}"`)}`,
      '',
      `Web UI: ${ui.uiUrl}`,
    );
  }
  return lines;
}
