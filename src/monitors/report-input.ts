/**
 * What a monitor report shows, read from the store: the monitor, the metrics of its last
 * runs (oldest first, ending at the chosen run) and that run's comparison with the one before.
 */
import type { RunComparison, RunMetrics } from '../analysis/types';
import type { ReportInput } from '../reports';
import type { MonitorStore } from '../store/monitors';
import { MonitorError } from './errors';
import { loadStoredMonitor } from './stored';

export interface ReportSelection {
  /** `latest` or a run id. */
  run: string;
  /** How many runs to chart, ending at the chosen one. */
  last: number;
}

export async function reportInput(
  monitors: MonitorStore,
  monitorId: string,
  sel: ReportSelection,
  now = new Date(),
): Promise<{ input: ReportInput; runId: string }> {
  const row = await monitors.get(monitorId);
  if (!row) throw new MonitorError(`no monitor ${monitorId}`);
  const monitor = loadStoredMonitor(row.definition);
  const scored = (await monitors.listRuns(monitorId)).filter((r) => r.metrics !== null);
  const at = sel.run === 'latest' ? 0 : scored.findIndex((r) => r.runId === sel.run);
  const chosen = scored[at];
  if (!chosen) {
    throw new MonitorError(
      sel.run === 'latest'
        ? `monitor ${monitorId} has no scored run yet (\`monitor trigger ${monitorId}\` runs one)`
        : `monitor ${monitorId} has no scored run ${sel.run}`,
    );
  }
  const runs = scored.slice(at, at + sel.last).reverse();
  return {
    runId: chosen.runId,
    input: {
      monitor: {
        id: monitor.id,
        brand: monitor.brand.name,
        competitors: monitor.competitors.map((c) => c.name),
        engines: monitor.engines,
        countries: monitor.countries,
      },
      runs: runs.map((r) => r.metrics as RunMetrics),
      comparison: (chosen.comparison as RunComparison | null) ?? null,
      generatedAt: now.toISOString(),
    },
  };
}
