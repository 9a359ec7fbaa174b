/**
 * The demo as `npm start -- --once` runs it, in process against the shared server: the CRM
 * monitor created, two runs triggered one after the other (the second compared with the
 * first), progress while they run, the report's tables and a self-contained HTML report; a
 * second start on the same store updates the monitor and runs two new runs with the same
 * figures for the same simulator seed.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { demoMonitor, formatDemoReport, runDemo } from '../../src/app/demo';
import { cellsOf } from '../../src/monitors/definition';
import { deleteMonitor, type MonitorSession } from '../../src/monitors/manage';
import { monitorBatchId } from '../../src/monitors/stored';
import { type Harness, startHarness } from '../helpers/prompt-harness';
import { testNamespace } from '../helpers/temporal';

let h: Harness;
let reportsDir: string;

beforeAll(async () => {
  h = await startHarness();
  reportsDir = await mkdtemp(path.join(os.tmpdir(), 'cloro-demo-reports-'));
});
afterAll(async () => {
  await h?.close();
  await rm(reportsDir, { recursive: true, force: true });
});
beforeEach(() => h.sim.sim.reset());

/** Not a TTY: the demo writes plain progress lines, collected here. */
function captureOut() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return { out: stream as unknown as NodeJS.WriteStream, text: () => text };
}

const session = (taskQueue: string): MonitorSession => ({ client: h.client, monitors: h.deps().monitors!, results: h.store, taskQueue });
/** Each test its own monitor (and schedule) on the shared server. */
const monitorOfTest = () => demoMonitor(`crm-demo-${randomUUID().slice(0, 8)}`);

describe('runDemo', () => {
  it('runs the CRM monitor twice, the second run compared with the first, prints the report table and writes a self-contained HTML report', async () => {
    const monitor = monitorOfTest();
    const cells = cellsOf(monitor).length;
    const { out, text } = captureOut();
    const report = await h.withWorker(async (tq) => {
      const s = session(tq);
      try {
        return await runDemo({ session: s, reportsDir, monitor, out });
      } finally {
        await deleteMonitor(s, monitor.id, false);
      }
    });

    expect(report).toMatchObject({ ok: true, setup: 'created', problem: null });
    expect(report.runs).toHaveLength(2);
    const [first, second] = report.runs as [(typeof report.runs)[0], (typeof report.runs)[0]];
    expect(second.runId).not.toBe(first.runId);
    expect(Date.parse(second.scheduledAt)).toBeGreaterThan(Date.parse(first.scheduledAt));
    const stored = await h.deps().monitors!.getRun(second.runId);
    expect(stored?.comparison).toMatchObject({ previousRunId: first.runId });

    // Progress while each run went, as plain lines.
    expect(text()).toContain(`run 1/2: ${cells}/${cells} done — ${cells} completed, 0 failed, 0 in flight`);
    expect(text()).toContain(`run 2/2: ${cells}/${cells} done — ${cells} completed, 0 failed, 0 in flight`);

    const printed = formatDemoReport(report, { uiUrl: 'http://127.0.0.1:8233', namespace: testNamespace() }).join('\n');
    expect(printed).toMatch(/\d+ % \(\d+–\d+\)/);
    expect(printed).toContain(`HTML report: ${report.htmlFile}`);
    expect(printed).toContain(`npm run cli -- result ${report.sampleWorkflowId}`);
    expect(printed).toContain(`workflows?query=${encodeURIComponent(`CloroMonitorId="${monitor.id}"`)}`);

    // One file, no outside resources, the three charts inline.
    expect(report.htmlFile && existsSync(report.htmlFile)).toBe(true);
    const html = await readFile(report.htmlFile!, 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html.match(/<figure class="chart"/g)).toHaveLength(3);
    expect(html.match(/<svg[^>]*\brole="img"/g)).toHaveLength(3);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|<img[^>]+src="http/i);

    // Every cell of each run answered and stored once, never created twice.
    for (const run of report.runs) {
      const page = await h.store.listBatch(monitorBatchId(monitor.id, run.scheduledAt), { limit: 1_000 });
      expect(page.records).toHaveLength(cells);
      expect(new Set(page.records.map((r) => r.idempotencyKey)).size).toBe(cells);
      expect(page.records.every((r) => r.status === 'COMPLETED' && r.runId === run.runId)).toBe(true);
    }
    const stats = h.sim.sim.stats();
    expect(stats.tasks.created).toBe(2 * cells);
    expect(Object.values(stats.creates.byIdempotencyKey).every((k) => k.created === 1)).toBe(true);
  });

  it('updates the monitor an earlier start left, runs two new runs, and gives the same figures for the same simulator seed', async () => {
    const monitor = monitorOfTest();
    const [earlier, later] = await h.withWorker(async (tq) => {
      const s = session(tq);
      try {
        const one = await runDemo({ session: s, reportsDir, monitor, out: captureOut().out });
        h.sim.sim.reset(); // a new start: a fresh simulator with the same seed
        const two = await runDemo({ session: s, reportsDir, monitor, out: captureOut().out });
        return [one, two];
      } finally {
        await deleteMonitor(s, monitor.id, false);
      }
    });

    expect([earlier.setup, later.setup]).toEqual(['created', 'updated']);
    expect([earlier.ok, later.ok]).toEqual([true, true]);
    const ids = (r: typeof earlier) => r.runs.map((run) => run.runId);
    expect(ids(later).some((id) => ids(earlier).includes(id))).toBe(false);
    expect((await h.deps().monitors!.listRuns(monitor.id)).map((r) => r.runId).sort()).toEqual([...ids(earlier), ...ids(later)].sort());
    expect(later.runs.map((r) => r.metrics?.mentionRate)).toEqual(earlier.runs.map((r) => r.metrics?.mentionRate));
    // The tables too (the heading above them names the runs and when they were due).
    const figures = (r: typeof earlier) => r.markdown?.slice(r.markdown.indexOf('## Latest run'));
    expect(figures(later)).toEqual(figures(earlier));
  });

  it('stops waiting when its signal aborts and says the runs go on', async () => {
    h.sim.sim.addFaults({ slow: { ms: 2_000, rate: 1 } });
    const monitor = monitorOfTest();
    const stop = new AbortController();
    const { out } = captureOut();
    // The first progress line: the run is under way, stop waiting then.
    (out as unknown as PassThrough).on('data', () => stop.abort());
    const report = await h.withWorker(async (tq) => {
      const s = session(tq);
      try {
        return await runDemo({ session: s, reportsDir, monitor, out, signal: stop.signal });
      } finally {
        await deleteMonitor(s, monitor.id, false);
      }
    });
    expect(report).toMatchObject({ ok: false, runs: [], markdown: null, problem: expect.stringContaining('interrupted') });
  });
});
