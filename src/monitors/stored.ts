/**
 * A monitor as the database keeps it, and the ids of its runs. The stored definition is the
 * document the user gave (prompts as text and tags), re-validated on every read, so a row
 * written by an older version is checked by today's rules instead of trusted.
 */
import { compactInstant, type Monitor, validateMonitor } from './definition';

/** What is stored: the monitor as a document `validateMonitor` accepts again. */
export function monitorDocument(monitor: Monitor): unknown {
  return { ...monitor, prompts: monitor.prompts.map(({ text, tags }) => ({ text, tags })) };
}

export function loadStoredMonitor(document: unknown): Monitor {
  const parsed = validateMonitor(document);
  if (!parsed.ok) throw new Error(`the stored monitor definition no longer validates: ${parsed.problems.join('; ')}`);
  return parsed.monitor;
}

/** `crm-20261129T060000Z`: one run per monitor and scheduled time. */
export function monitorRunId(monitorId: string, scheduledAt: string): string {
  return `${monitorId}-${compactInstant(scheduledAt)}`;
}

/** The batch that runs a run's cells (also the name of its prompt set). */
export function monitorBatchId(monitorId: string, scheduledAt: string): string {
  return `monitor-${monitorRunId(monitorId, scheduledAt)}`;
}
