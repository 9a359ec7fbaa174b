/**
 * The worker runtime's log lines as JSON, one object a line, for a log collector: the
 * SDK's attributes (workflowId, runId, activityType, taskQueue…) and ours (taskId, …) become
 * top-level fields, so every line that has a workflow or task id can be searched by it.
 */
import type { LogEntry } from '@temporalio/worker';

/** Keys the line's own fields take; attributes of the same name are kept under `meta`. */
const OWN_FIELDS = new Set(['time', 'level', 'msg']);

export function jsonLogLine(entry: LogEntry): string {
  const time = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
  const meta = entry.meta ?? {};
  const clashes = Object.keys(meta).filter((key) => OWN_FIELDS.has(key));
  const attributes = Object.fromEntries(Object.entries(meta).filter(([key]) => !OWN_FIELDS.has(key)));
  const line = {
    time,
    level: entry.level.toLowerCase(),
    msg: entry.message,
    ...attributes,
    ...(clashes.length ? { meta: Object.fromEntries(clashes.map((key) => [key, meta[key]])) } : {}),
  };
  return JSON.stringify(line, (_key, value: unknown) => {
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
    return value;
  });
}
