/**
 * `cloro-temporal/workflow`: safe in the workflow sandbox. The helpers a user's workflow calls
 * (`cloroPrompt`, `cloroBatch`), cloro's workflow functions for a user's workflows module to
 * re-export, and the contract: types, signals, queries, updates, ids, search-attribute keys.
 */
export {
  cloroBatch,
  cloroPrompt,
  DEFAULT_CLORO_TASK_QUEUE,
  type CloroBatchOptions,
  type CloroChildOptions,
  type CloroPromptOptions,
  type CloroPromptRequest,
} from '../../workflows/child';
export { promptWorkflow } from '../../workflows/prompt';
export { batchWorkflow } from '../../workflows/batch';
export { monitorRunWorkflow } from '../../workflows/monitor-run';
export {
  apiTaskQueue,
  batchWorkflowId,
  cancelBatchUpdate,
  cancelUpdate,
  cloroTaskFinishedSignal,
  CloroBatchIdKey,
  CloroBrandKey,
  CloroCountryKey,
  CloroMonitorIdKey,
  CloroPriorityKey,
  CloroStatusKey,
  CloroTaskIdKey,
  CloroTaskTypeKey,
  DELIVERIES,
  progressQuery,
  promptFinishedSignal,
  promptWorkflowId,
  SEARCH_ATTRIBUTE_KEYS,
  statusQuery,
  type BatchProgress,
  type BatchTuning,
  type CancelBatchRequest,
  type CloroTaskFinished,
  type Delivery,
  type PromptFinished,
  type PromptOutcome,
  type PromptPolicy,
  type PromptStatus,
  type PromptSummary,
  type PromptTiming,
  type PromptWorkflowInput,
  type BatchWorkflowInput,
} from '../../workflows/definitions';
export type { Include, TaskType } from '../cloro/schemas';
