/**
 * Everything outside a workflow body needs to talk to workflows: search-attribute keys,
 * signals, queries, updates and their payload types. The bridge, the CLI and the worker
 * import this module, never workflow bodies.
 */
// @temporalio/common is the deterministic core the workflow SDK itself is built on.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineSignal } from '@temporalio/workflow';

export const CloroTaskTypeKey = defineSearchAttributeKey('CloroTaskType', SearchAttributeType.KEYWORD);
export const CloroTaskIdKey = defineSearchAttributeKey('CloroTaskId', SearchAttributeType.KEYWORD);
export const CloroStatusKey = defineSearchAttributeKey('CloroStatus', SearchAttributeType.KEYWORD);
export const CloroCountryKey = defineSearchAttributeKey('CloroCountry', SearchAttributeType.KEYWORD);
export const CloroPriorityKey = defineSearchAttributeKey('CloroPriority', SearchAttributeType.INT);
export const CloroBatchIdKey = defineSearchAttributeKey('CloroBatchId', SearchAttributeType.KEYWORD);
export const CloroBrandKey = defineSearchAttributeKey('CloroBrand', SearchAttributeType.KEYWORD);

/** Every custom search attribute the project uses; the dev-server launcher registers these. */
export const SEARCH_ATTRIBUTE_KEYS = [
  CloroTaskTypeKey,
  CloroTaskIdKey,
  CloroStatusKey,
  CloroCountryKey,
  CloroPriorityKey,
  CloroBatchIdKey,
  CloroBrandKey,
] as const;

/**
 * The webhook bridge's wake-up call. Carries only ids and a status: the result itself is
 * always re-read from cloro, so a forged or stale webhook body can never become a result.
 */
export interface CloroTaskFinished {
  taskId: string;
  status: 'COMPLETED' | 'FAILED';
  /** The idempotency key cloro echoed; lets a workflow that lost its create response adopt the task. */
  idempotencyKey?: string | null;
}
export const cloroTaskFinishedSignal = defineSignal<[CloroTaskFinished]>('cloroTaskFinished');
