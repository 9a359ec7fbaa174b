/** What the worker loads: every workflow type, and nothing with side effects. */
export { promptWorkflow } from './prompt';
export { batchWorkflow } from './batch';
export { monitorRunWorkflow } from './monitor-run';
