/**
 * The fault suite's result table: each scenario appends its row to a file in the jest run's
 * temp dir (test files run in separate module registries), and the suite's global teardown
 * prints them all as one Markdown table, the form docs/reliability.md records.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { testTemporalState } from '../helpers/temporal';
import type { InvariantReport } from './invariant-rules';

export interface ScenarioRow extends InvariantReport {
  scenario: string;
  seed: number;
  seconds: number;
}

export function rowsFile(stateDir = testTemporalState().stateDir ?? os.tmpdir()): string {
  return path.join(stateDir, 'fault-scenarios.jsonl');
}

export function recordRow(row: ScenarioRow): void {
  appendFileSync(rowsFile(), `${JSON.stringify(row)}\n`);
}

export function readRows(file: string): ScenarioRow[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ScenarioRow);
}

const HEADER = ['scenario', 'prompts', 'outcomes', 'creates/key', 'credits charged (cloro)', 'credits reported', 'verdict', 's'];

export function formatTable(rows: readonly ScenarioRow[]): string {
  const cells = rows.map((r) => [
    r.scenario,
    r.accepted === r.offered ? String(r.offered) : `${r.accepted} of ${r.offered}`,
    Object.entries(r.outcomes)
      .map(([status, n]) => `${n} ${status}`)
      .join(', ') || 'none',
    `max ${r.maxCreatesPerKey}${r.resubmits ? ` (+${r.resubmits} resubmits)` : ''}`,
    String(r.creditsCharged),
    `${r.creditsReported}${r.creditsEstimated ? ` (${r.creditsEstimated} est.)` : ''}`,
    r.violations.length === 0 ? 'ok' : `FAIL (${r.violations.length})`,
    r.seconds.toFixed(0),
  ]);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(HEADER), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
