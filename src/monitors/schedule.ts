/**
 * A monitor's cadence as a Temporal Schedule. The policies are chosen on purpose:
 * - overlap BUFFER_ONE: a run still going when the next is due is not doubled (two runs would
 *   compete for the same plan slots and credits); the due run waits and starts after it;
 * - catch-up window one day: after an outage the missed run of the last day still happens
 *   (once, buffered), older ones are left to `monitor backfill`;
 * - pause on failure: a run that fails (not one that merely skipped prompts) stops the
 *   schedule instead of failing every later run the same way;
 * - `stopAt` is the spec's end: no run is due after it.
 */
import { ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import type { Monitor } from './definition';
import {
  CloroBrandKey,
  CloroMonitorIdKey,
  type MonitorRunInput,
  monitorRunWorkflowIdBase,
  monitorScheduleId,
} from '../../workflows/definitions';

export const MONITOR_OVERLAP = ScheduleOverlapPolicy.BUFFER_ONE;
export const MONITOR_CATCHUP_WINDOW = '1 day';

export function scheduleOptions(monitor: Monitor, taskQueue: string): ScheduleOptions {
  return {
    scheduleId: monitorScheduleId(monitor.id),
    spec: scheduleSpec(monitor),
    action: {
      type: 'startWorkflow',
      workflowType: 'monitorRunWorkflow',
      args: [{ monitorId: monitor.id } satisfies MonitorRunInput],
      taskQueue,
      workflowId: monitorRunWorkflowIdBase(monitor.id),
      staticSummary: `monitor ${monitor.id} · ${monitor.brand.name}`,
      typedSearchAttributes: [
        { key: CloroMonitorIdKey, value: monitor.id },
        { key: CloroBrandKey, value: monitor.brand.name },
      ],
    },
    policies: { overlap: MONITOR_OVERLAP, catchupWindow: MONITOR_CATCHUP_WINDOW, pauseOnFailure: true },
    memo: {
      brand: monitor.brand.name,
      competitors: monitor.competitors.map((c) => c.name),
      engines: monitor.engines,
      countries: monitor.countries,
    },
    typedSearchAttributes: [
      { key: CloroMonitorIdKey, value: monitor.id },
      { key: CloroBrandKey, value: monitor.brand.name },
    ],
  };
}

export function scheduleSpec(monitor: Monitor): ScheduleOptions['spec'] {
  const { cadence } = monitor;
  return {
    ...(cadence.cron ? { cronExpressions: [cadence.cron] } : { intervals: [{ every: (cadence.every ?? '1d') as Duration }] }),
    timezone: cadence.timezone,
    ...(cadence.jitter ? { jitter: cadence.jitter as Duration } : {}),
    ...(monitor.stopAt ? { endAt: new Date(monitor.stopAt) } : {}),
  };
}
