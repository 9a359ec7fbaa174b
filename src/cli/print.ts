import type { PromptRecord } from '../store/record';
import type { PromptSummary } from '../../workflows/definitions';

/** One prompt's summary as a person reads it, or as one JSON line for scripts. */
export function printSummary(summary: PromptSummary, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(summary));
    return;
  }
  const rows: Row[] = [
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
  printRows(rows);
}

/** A stored record's head, as printSummary would show it, for when the workflow cannot be asked. */
export function printRecord(record: PromptRecord): void {
  const rows: Row[] = [
    ['status', record.status],
    ['task', record.taskId],
    ['key', record.idempotencyKey],
    ['model', record.result?.model],
    ['answer', record.result ? `${record.result.text?.length ?? 0} chars, ${record.result.sources?.length ?? 0} sources` : null],
    ['credits', record.credits?.creditsCharged],
    ['error', record.error ? `${record.error.code}: ${record.error.message}` : null],
    ['fetched', record.fetchedAt],
    ['stored', record.workflowId],
  ];
  printRows(rows);
}

/** Label and value; a row without a value is left out. */
type Row = [string, string | number | null | undefined];

function printRows(rows: Row[]): void {
  for (const [label, value] of rows) if (value !== null && value !== undefined && value !== '') console.log(`${label.padEnd(9)} ${value}`);
}
