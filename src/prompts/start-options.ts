/**
 * How a prompt workflow is presented when it starts — its Temporal priority, the line the
 * Web UI shows, its search attributes — shared by the client edge (src/prompts/start.ts) and
 * the batch workflow's children. Pure: workflow code imports it.
 */
import type { SearchAttributePair } from '@temporalio/common';
import {
  CloroBatchIdKey,
  CloroBrandKey,
  CloroMonitorIdKey,
  CloroCountryKey,
  CloroPriorityKey,
  CloroStatusKey,
  CloroTaskTypeKey,
  type PromptWorkflowInput,
} from '../../workflows/definitions';

/** cloro priority 1–10 (higher runs first) → Temporal priority key 1–5 (lower runs first). */
export function temporalPriorityKey(cloroPriority: number): number {
  return Math.ceil((11 - cloroPriority) / 2);
}

/** "CHATGPT · US · What do you know about Acme…" — the line the Web UI shows for a prompt. */
export function promptSummaryLine(input: PromptWorkflowInput): string {
  const text = input.request.payload.prompt ?? input.request.payload.query ?? '';
  const head = text.length > 60 ? `${text.slice(0, 59)}…` : text;
  return `${input.request.taskType} · ${input.request.payload.country} · ${head}`;
}

/** A prompt workflow's search attributes at start: what the Web UI filters on. */
export function promptSearchAttributes(input: PromptWorkflowInput) {
  return [
    { key: CloroTaskTypeKey, value: input.request.taskType },
    { key: CloroCountryKey, value: input.request.payload.country },
    { key: CloroPriorityKey, value: input.request.priority },
    { key: CloroStatusKey, value: 'SUBMITTING' },
    ...(input.batchId ? [{ key: CloroBatchIdKey, value: input.batchId }] : []),
    ...(input.monitor
      ? [
          { key: CloroMonitorIdKey, value: input.monitor.monitorId },
          { key: CloroBrandKey, value: input.monitor.brand },
        ]
      : []),
  ] satisfies SearchAttributePair[];
}
