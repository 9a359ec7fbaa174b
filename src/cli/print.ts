import type { PromptSummary } from '../../workflows/definitions';

/** One prompt's summary as a person reads it, or as one JSON line for scripts. */
export function printSummary(summary: PromptSummary, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(summary));
    return;
  }
  const rows: Array<[string, string | number | null]> = [
    ['status', summary.status],
    ['task', summary.taskId],
    ['key', summary.idempotencyKey],
    ['model', summary.model],
    ['answer', summary.status === 'COMPLETED' ? `${summary.textLength} chars, ${summary.sourcesCount} sources` : null],
    ['credits', summary.creditsCharged],
    ['attempts', summary.attempts],
    ['orphaned', summary.orphaned || null],
    ['error', summary.error ? `${summary.error.code}: ${summary.error.message}` : null],
    ['stored', summary.resultRef],
  ];
  for (const [label, value] of rows) if (value !== null && value !== '') console.log(`${label.padEnd(9)} ${value}`);
}
