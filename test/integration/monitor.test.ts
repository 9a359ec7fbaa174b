import {
  backfillMonitor,
  createMonitor,
  deleteMonitor,
  describeMonitor,
  type MonitorOverview,
  type MonitorSession,
  pauseMonitor,
  triggerMonitor,
  unpauseMonitor,
} from '../../src/monitors/manage';
import { reportInput } from '../../src/monitors/report-input';
import { renderReport } from '../../src/reports';
import { monitorScheduleId } from '../../workflows/definitions';
import type { Monitor } from '../../src/monitors/definition';
import { testMonitor } from '../helpers/monitors';
import { type Harness, recordHistory, startHarness, temporalCli } from '../helpers/prompt-harness';

/**
 * Brand monitors end to end on the real dev server and simulator: a schedule starts the runs,
 * each run's cells are paid for once and stored once, every run is scored and compared with
 * the one before, and the schedule's controls show in `temporal schedule describe`.
 */
/** `temporal schedule describe`, as JSON: what an operator sees. */
async function scheduleState(id: string): Promise<{ paused: boolean; notes: string; actionCount: number }> {
  const d = JSON.parse(await temporalCli(['schedule', 'describe', '--schedule-id', monitorScheduleId(id), '--output', 'json'])) as {
    schedule: { state?: { paused?: boolean; notes?: string } };
    info?: { actionCount?: string | number };
  };
  return { paused: d.schedule.state?.paused ?? false, notes: d.schedule.state?.notes ?? '', actionCount: Number(d.info?.actionCount ?? 0) };
}

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in time; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe('brand monitors', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  const session = (taskQueue: string): MonitorSession => ({ client: h.client, monitors: h.deps().monitors!, results: h.store, taskQueue });

  /**
   * Creates the monitor and runs it once now; returns its description once that run has
   * finished and `ready` holds, after its workflow closed (its history recorded as `history`).
   */
  async function runOnce(
    s: MonitorSession,
    monitor: Monitor,
    ready: (d: MonitorOverview) => boolean,
    history: string,
  ): Promise<MonitorOverview> {
    await createMonitor(s, monitor);
    await triggerMonitor(s, monitor.id);
    const d = await until(
      () => describeMonitor(s, monitor.id),
      (o) => ready(o) && o.runs.some((r) => r.finishedAt !== null),
    );
    await h.client.workflow.getHandle(d.recentActions[0]!.workflowId).result();
    await recordHistory(d.recentActions[0]!.workflowId, history);
    return d;
  }

  it('runs on its schedule twice, stores every answer once, scores both runs and shows its controls in temporal schedule describe', async () => {
    h = await startHarness({ timeScale: 20, processingMs: { min: 4_000, max: 8_000 } });
    const monitor = testMonitor({ cadence: { every: '15s' } });
    await h.withWorker(async (tq) => {
      const s = session(tq);
      await createMonitor(s, monitor);
      const two = await until(
        () => describeMonitor(s, monitor.id),
        (d) => d.runs.filter((r) => r.metrics !== null).length >= 2,
      );
      await pauseMonitor(s, monitor.id, 'paused by the test');
      const runs = two.runs.filter((r) => r.metrics !== null).slice(0, 2);

      // 2 prompts × 2 engines × 1 country × 2 samples a run, each created and charged once.
      const stats = h.sim.sim.stats();
      const cells = runs.length * 8;
      expect(stats.tasks.created).toBeGreaterThanOrEqual(cells);
      for (const run of runs) {
        const page = await h.store.listBatch(run.batchId, { limit: 100 });
        expect(page.records).toHaveLength(8);
        expect(new Set(page.records.map((r) => r.idempotencyKey)).size).toBe(8);
        expect(page.records.every((r) => r.status === 'COMPLETED' && r.monitorId === monitor.id && r.runId === run.runId)).toBe(true);
        expect(run.backfilled).toBe(false);
      }
      // No key was ever created twice (a retried or re-read cell pays once).
      expect(Object.values(stats.creates.byIdempotencyKey).every((k) => k.created === 1)).toBe(true);

      // The report shows both runs with intervals and the change between them.
      const { input } = await reportInput(s.monitors, monitor.id, { run: runs[0]!.runId, last: 2 });
      expect(input.runs.map((r) => r.runId)).toEqual([runs[1]!.runId, runs[0]!.runId]);
      expect(input.comparison?.previousRunId).toBe(runs[1]!.runId);
      const md = await renderReport(input, 'md');
      expect(md).toMatch(/\d+ % \(\d+–\d+\)/);
      expect(md).toMatch(/no real change|significant/);

      // The controls, as `temporal schedule describe` shows them.
      expect(await scheduleState(monitor.id)).toMatchObject({ paused: true, notes: 'paused by the test' });
      await unpauseMonitor(s, monitor.id, 'resumed by the test');
      expect(await scheduleState(monitor.id)).toMatchObject({ paused: false, notes: 'resumed by the test' });
      await pauseMonitor(s, monitor.id, 'hold still');
      const before = (await scheduleState(monitor.id)).actionCount;
      await triggerMonitor(s, monitor.id);
      await until(
        () => scheduleState(monitor.id),
        (st) => st.actionCount === before + 1,
      );
      const end = new Date(Date.now() - 3_600_000);
      await backfillMonitor(s, monitor.id, new Date(end.getTime() - 31_000), end);
      const backfilled = await until(
        () => describeMonitor(s, monitor.id, 20),
        (d) => d.runs.filter((r) => r.backfilled && r.finishedAt !== null).length >= 2,
      );
      expect(backfilled.runs.filter((r) => r.backfilled).length).toBeGreaterThanOrEqual(2);
      const all = await until(
        () => describeMonitor(s, monitor.id, 50),
        (d) => d.runs.every((r) => r.finishedAt !== null),
      );
      // The credits the runs report are what cloro charged, to the credit.
      const reported = all.runs.reduce((sum, r) => sum + (r.progress as { creditsCharged: number }).creditsCharged, 0);
      expect(reported).toBe(h.sim.sim.stats().credits.charged);

      await deleteMonitor(s, monitor.id, false);
      await expect(temporalCli(['schedule', 'describe', '--schedule-id', monitorScheduleId(monitor.id)])).rejects.toThrow();
      // Deleting keeps the answers.
      expect((await h.store.listBatch(runs[0]!.batchId, { limit: 100 })).records).toHaveLength(8);
    });
  });

  it('pauses its schedule, saying why, when cloro runs out of credits mid-run; unpause resumes it', async () => {
    // 8 cells cost 36 credits; the balance covers about half of them.
    h = await startHarness({ initialCredits: 20, timeScale: 20, processingMs: { min: 4_000, max: 8_000 } });
    const monitor = testMonitor();
    await h.withWorker(async (tq) => {
      const s = session(tq);
      const d = await runOnce(s, monitor, (o) => o.paused, 'monitor-run-paused-out-of-credits');
      expect(d.note).toMatch(/credit balance ran out/);
      const state = await scheduleState(monitor.id);
      expect(state.paused).toBe(true);
      expect(state.notes).toMatch(/credit balance ran out/);
      expect(h.sim.sim.stats().credits.charged).toBeLessThanOrEqual(20);

      await unpauseMonitor(s, monitor.id, 'topped up');
      expect((await scheduleState(monitor.id)).paused).toBe(false);
      await deleteMonitor(s, monitor.id, true);
    });
  });

  it('with samples: auto, adds rounds of samples where the interval is still too wide, up to maxSamples, each paid once', async () => {
    h = await startHarness({ timeScale: 20, processingMs: { min: 4_000, max: 8_000 } });
    const monitor = testMonitor({ samples: 'auto', autoSampling: { targetHalfWidth: 0.2, maxSamples: 3 } });
    await h.withWorker(async (tq) => {
      const s = session(tq);
      const d = await runOnce(s, monitor, () => true, 'monitor-run-auto-sampling');
      const run = d.runs[0]!;
      const { records } = await h.store.listBatch(run.batchId, { limit: 100 });
      const perCell = new Map<string, number>();
      for (const r of records)
        perCell.set(`${r.labels.promptId}|${r.taskType}`, (perCell.get(`${r.labels.promptId}|${r.taskType}`) ?? 0) + 1);
      // 4 cells; ±0.2 needs far more than 3 answers, so every cell is sampled up to the cap.
      expect([...perCell.values()]).toEqual([3, 3, 3, 3]);
      expect(Object.values(h.sim.sim.stats().creates.byIdempotencyKey).every((k) => k.created === 1)).toBe(true);
      expect((run.progress as { total: number; completed: number }).completed).toBe(12);
      await deleteMonitor(s, monitor.id, true);
    });
  });
});
