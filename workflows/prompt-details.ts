/**
 * What the Web UI shows as a prompt workflow's current details, in words a person reads at a
 * glance. Pure: the workflow passes these to setCurrentDetails (no history event).
 */
import type { PromptSummary } from './definitions';

export function creatingDetails(key: string): string {
  return `creating the cloro task (key \`${key}\`)`;
}

export const ORPHAN_WAIT_DETAILS = 'create answered 409; waiting for the webhook that names our key';

/** The UI shows this next to when it was read, so it says when the next read is, not "in N s". */
export function waitingDetails(w: {
  cloroStatus: string | null;
  webhook: boolean;
  nextReadAt: number;
  polls: number;
  taskId: string;
}): string {
  const nextRead = clockTime(w.nextReadAt);
  const how = w.webhook ? `waiting for the webhook, safety read ≈ ${nextRead}` : `polling, next read ≈ ${nextRead}`;
  return `**${w.cloroStatus}** at cloro · ${how} · ${w.polls} read${w.polls === 1 ? '' : 's'} so far · task ${w.taskId}`;
}

/** "COMPLETED · gpt-5-mini · 327 chars · 6 sources · 5 credits" — what a person wants to know at a glance. */
export function finalDetails(result: PromptSummary): string {
  const facts =
    result.status === 'COMPLETED'
      ? [result.model, `${result.textLength} chars`, `${result.sourcesCount} sources`, `${result.creditsCharged} credits`]
      : [result.error ? `${result.error.code}: ${result.error.message}` : null];
  if (result.attempts > 1) facts.push(`${result.attempts} cloro tasks`);
  if (result.creditsEstimated) facts.push(`~${result.creditsCharged} credits estimated`);
  if (result.orphaned > 0) facts.push(`${result.orphaned} lost create response${result.orphaned === 1 ? '' : 's'}`);
  return [`**${result.status}**`, ...facts.filter(Boolean)].join(' · ');
}

function clockTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 19)} UTC`;
}

export function storeRetryDetails(taskId: string, storeError: string, horizonMs: number): string {
  return `**STORE_RETRYING** · cloro finished task ${taskId}, the results store refused its answer (${storeError}); retrying the write for up to ${hours(horizonMs)}`;
}

/** Why a paid answer was not stored, and where it can still be read before cloro deletes it. */
export function unstoredMessage(taskId: string, lastError: string, firstError: string, horizonMs: number): string {
  return (
    `cloro completed task ${taskId} and charged for it, but the results store refused the answer for ${hours(horizonMs)} ` +
    `(first: ${firstError}; last: ${lastError}). cloro keeps the task for 24 h after it finished: ` +
    `read it with GET /v1/async/task/${taskId} before then.`
  );
}

function hours(ms: number): string {
  return ms >= 3_600_000 ? `${+(ms / 3_600_000).toFixed(1)} h` : `${Math.round(ms / 1000)} s`;
}
