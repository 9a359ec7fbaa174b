/**
 * `cloro-temporal/client`: for application code holding a Temporal `Client` — start prompts
 * and batches, manage monitors, wait for results, read answers from the results store.
 */
export { submitPrompt, type SubmitPromptOptions } from '../prompts/submit';
export { startPrompt, type StartedPrompt } from '../prompts/start';
export { deriveIdempotencyKey, toWorkflowInput, type KeyScope, type PromptRequest } from '../prompts/request';
export { batchHandle, startBatch, type StartBatchOptions, type StartedBatch } from '../batches/start';
export {
  backfillMonitor,
  createMonitor,
  deleteMonitor,
  describeMonitor,
  listMonitors,
  pauseMonitor,
  triggerMonitor,
  unpauseMonitor,
  updateMonitor,
  type MonitorOverview,
  type MonitorSession,
} from '../monitors/manage';
export { parseMonitorFile, validateMonitor, type Monitor, type ParseResult } from '../monitors/definition';
export { pollForResult, waitForResult } from '../temporal/result';
export { ensureSearchAttributes } from '../temporal/search-attributes';
export { openCloroStore, type CloroStore, type OpenCloroStoreOptions } from '../store/open-cloro-store';
export {
  batchWorkflowId,
  cancelBatchUpdate,
  cancelUpdate,
  progressQuery,
  promptWorkflowId,
  statusQuery,
  type BatchProgress,
  type PromptStatus,
  type PromptSummary,
} from '../../workflows/definitions';
export { createCloroPayloadCodec, PayloadDecryptionError } from '../codec/encryption-codec';
export type { PayloadKey } from '../codec/payload-keys';
