/**
 * Scoring one monitor run: read its stored answers, analyse each against the monitor's
 * current definition, aggregate, and compare with the run due before it. Shared by the run's
 * last activity and `monitor recompute` (which re-scores history after a definition change),
 * so both apply the same methodology.
 */
import {
  analyzeAnswer,
  type AnswerAnalysis,
  type AnswerInput,
  compareRuns,
  METHODOLOGY_VERSION,
  type RunComparison,
  type RunMetrics,
  runMetrics,
} from '../analysis';
import type { DbResultStore } from '../store/db-store';
import type { MonitorStore, RunRow } from '../store/monitors';
import type { PromptRecord } from '../store/record';
import { type Monitor, trackedOf } from './definition';
import { loadStoredMonitor } from './stored';

export interface ScoredRun {
  metrics: RunMetrics;
  comparison: RunComparison | null;
  methodologyVersion: number;
  /** Stored answers that did not parse, by key: left out of the metrics, never fatal. */
  problems: { key: string; message: string }[];
}

/** A run's stored answers with the monitor they are scored against: what scoring and auto-sampling both start from. */
export interface RunAnswers {
  monitor: Monitor;
  run: RunRow;
  records: PromptRecord[];
  analyses: AnswerAnalysis[];
  problems: ScoredRun['problems'];
}

export async function runAnswers(
  results: Pick<DbResultStore, 'listBatch'>,
  monitors: MonitorStore,
  monitorId: string,
  runId: string,
): Promise<RunAnswers> {
  const [run, row] = await Promise.all([monitors.getRun(runId), monitors.get(monitorId)]);
  if (!run) throw new Error(`run ${runId} of monitor ${monitorId} is not in the store`);
  if (!row) throw new Error(`monitor ${monitorId} is not in the store`);
  const monitor = loadStoredMonitor(row.definition);
  const tracked = trackedOf(monitor);
  const tags = new Map(monitor.prompts.map((p) => [p.id, p.tags]));
  const { records, problems } = await recordsOf(results, run.batchId);
  const analyses = records
    .filter((r) => r.status === 'COMPLETED')
    .map((r) => analyzeAnswer(answerInputOf(r, run.runId, run.scheduledAt, tags), tracked));
  return { monitor, run, records, analyses, problems };
}

export async function scoreRun(
  results: Pick<DbResultStore, 'listBatch'>,
  monitors: MonitorStore,
  monitorId: string,
  runId: string,
): Promise<ScoredRun> {
  const { monitor, run, analyses, problems } = await runAnswers(results, monitors, monitorId, runId);
  const metrics = runMetrics(analyses, trackedOf(monitor), { runId: run.runId, runAt: run.scheduledAt });
  const [previous] = await monitors.listRuns(monitorId, { before: run.scheduledAt, limit: 1 });
  const comparison = previous?.metrics ? compareRuns(previous.metrics as RunMetrics, metrics) : null;
  return { metrics, comparison, methodologyVersion: METHODOLOGY_VERSION, problems };
}

/** Every stored record of a batch, page by page. */
async function recordsOf(results: Pick<DbResultStore, 'listBatch'>, batchId: string) {
  const records: PromptRecord[] = [];
  const problems: ScoredRun['problems'] = [];
  let after: string | undefined;
  for (;;) {
    const page = await results.listBatch(batchId, { after, limit: 500 });
    records.push(...page.records);
    problems.push(...page.problems);
    if (page.next === null) return { records, problems };
    after = page.next;
  }
}

/** A stored record as the analysis sees it: its cell comes from the labels the run's items carried. */
function answerInputOf(record: PromptRecord, runId: string, runAt: string, tags: Map<string, string[]>): AnswerInput {
  const promptId = record.labels.promptId ?? '';
  return {
    workflowId: record.workflowId,
    runId,
    runAt,
    engine: record.taskType,
    country: record.country,
    promptId,
    prompt: record.prompt,
    tags: tags.get(promptId) ?? [],
    sample: Number(record.labels.sample ?? 1),
    status: record.status,
    result: record.result,
  };
}
