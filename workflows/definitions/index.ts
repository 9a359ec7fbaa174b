/**
 * Everything outside a workflow body needs to talk to workflows — search-attribute keys,
 * signals, queries, updates, payload and activity I/O types, workflow ids, failure types —
 * split by concern, re-exported here. The bridge, the CLI, the activities and the worker
 * import this module, never workflow bodies; it holds no helpers.
 */
export * from './search-attributes';
export * from './errors';
export * from './prompt';
export * from './batch';
export * from './activities';
export * from './monitor';
