/**
 * Monitors for the CLI (and library callers): the definition goes to the database, the
 * cadence to a Temporal Schedule, and each operation keeps the two in step. Describing a
 * monitor joins what the schedule knows (next runs, pause note) with what the store knows
 * (how each run ended, what it scored).
 */
import { type Client, ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import type { DbResultStore } from '../store/db-store';
import type { MonitorStore, RunRow } from '../store/monitors';
import { monitorScheduleId } from '../../workflows/definitions';
import type { Monitor } from './definition';
import { MonitorError } from './errors';
import { MONITOR_OVERLAP, scheduleOptions, scheduleSpec } from './schedule';
import { scoreRun } from './score-run';
import { loadStoredMonitor, monitorDocument } from './stored';

/** What the monitor functions work with: a Temporal client, the stores, the task queue of the runs. */
export interface MonitorSession {
  client: Client;
  monitors: MonitorStore;
  results: Pick<DbResultStore, 'listBatch'>;
  taskQueue: string;
}

/** Stores a new monitor's definition and creates its schedule; an existing id is refused. */
export async function createMonitor(s: MonitorSession, monitor: Monitor): Promise<void> {
  if (await s.monitors.get(monitor.id)) throw new MonitorError(`monitor ${monitor.id} exists already; change it with \`monitor update\``);
  await s.monitors.save(monitor.id, monitor.brand.name, monitorDocument(monitor));
  await s.client.schedule.create(scheduleOptions(monitor, s.taskQueue));
}

/** The next runs use the new definition; a run already going keeps the cells it started with. */
export async function updateMonitor(s: MonitorSession, monitor: Monitor): Promise<void> {
  if (!(await s.monitors.get(monitor.id))) throw new MonitorError(`no monitor ${monitor.id}; create it with \`monitor create\``);
  await s.monitors.save(monitor.id, monitor.brand.name, monitorDocument(monitor));
  const fresh = scheduleOptions(monitor, s.taskQueue);
  await s.client.schedule.getHandle(fresh.scheduleId).update((previous) => ({
    ...previous,
    spec: scheduleSpec(monitor),
    action: fresh.action,
    policies: { ...previous.policies, ...fresh.policies },
  }));
}

/** A monitor as `describeMonitor` shows it: its schedule (next runs, pause) and its recent runs. */
export interface MonitorOverview {
  monitor: Monitor;
  paused: boolean;
  note: string | null;
  nextRuns: Date[];
  /** The schedule's latest actions: when each was due and the workflow it started. */
  recentActions: { scheduledAt: Date; takenAt: Date; workflowId: string }[];
  /** Runs in the store, newest first, with how they ended. */
  runs: RunRow[];
  /** The schedule is gone (deleted by hand in Temporal): the definition alone remains. */
  scheduleMissing: boolean;
}

/** A monitor with its schedule and its last `runs` runs. */
export async function describeMonitor(s: MonitorSession, id: string, runs = 5): Promise<MonitorOverview> {
  const row = await s.monitors.get(id);
  if (!row) throw new MonitorError(`no monitor ${id}`);
  const monitor = loadStoredMonitor(row.definition);
  const stored = await s.monitors.listRuns(id, { limit: runs });
  try {
    const d = await s.client.schedule.getHandle(monitorScheduleId(id)).describe();
    return {
      monitor,
      paused: d.state.paused,
      note: d.state.note ?? null,
      nextRuns: d.info.nextActionTimes,
      recentActions: d.info.recentActions.map((a) => ({
        scheduledAt: a.scheduledAt,
        takenAt: a.takenAt,
        workflowId: a.action.workflow.workflowId,
      })),
      runs: stored,
      scheduleMissing: false,
    };
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
    return { monitor, paused: true, note: null, nextRuns: [], recentActions: [], runs: stored, scheduleMissing: true };
  }
}

/** Every stored monitor, described. */
export async function listMonitors(s: MonitorSession): Promise<MonitorOverview[]> {
  const rows = await s.monitors.list();
  return Promise.all(rows.map((row) => describeMonitor(s, row.id, 1)));
}

/** Pauses the monitor's schedule, with a note saying why. */
export async function pauseMonitor(s: MonitorSession, id: string, note: string): Promise<void> {
  await scheduleOf(s, id).pause(note);
}

/** Resumes the monitor's schedule, with a note. */
export async function unpauseMonitor(s: MonitorSession, id: string, note: string): Promise<void> {
  await scheduleOf(s, id).unpause(note);
}

/** A run due now; buffered behind one still going, never doubled. */
export async function triggerMonitor(s: MonitorSession, id: string): Promise<void> {
  await scheduleOf(s, id).trigger(MONITOR_OVERLAP);
}

/** Runs for every time the cadence was due in [start, end]; each is marked as a backfill. */
export async function backfillMonitor(s: MonitorSession, id: string, start: Date, end: Date): Promise<void> {
  await scheduleOf(s, id).backfill({ start, end, overlap: ScheduleOverlapPolicy.BUFFER_ALL });
}

/** Stops the schedule and forgets the definition; answers and metrics stay unless `purge`. */
export async function deleteMonitor(s: MonitorSession, id: string, purge: boolean): Promise<void> {
  if (!(await s.monitors.get(id))) throw new MonitorError(`no monitor ${id}`);
  try {
    await s.client.schedule.getHandle(monitorScheduleId(id)).delete();
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  }
  await s.monitors.delete(id, purge);
}

/** Re-scores every stored run with today's definition and methodology, oldest first (each compares with the one before). */
export async function recomputeMonitor(s: MonitorSession, id: string): Promise<{ runs: number; problems: number }> {
  const runs = (await s.monitors.listRuns(id)).reverse();
  let problems = 0;
  for (const run of runs) {
    const { problems: bad, ...scored } = await scoreRun(s.results, s.monitors, id, run.runId);
    problems += bad.length;
    await s.monitors.saveMetrics(run.runId, scored);
  }
  return { runs: runs.length, problems };
}

function scheduleOf(s: MonitorSession, id: string) {
  return s.client.schedule.getHandle(monitorScheduleId(id));
}
