import { createBatchActivities } from './batch';
import { createCloroActivities } from './cloro';
import { createMonitorActivities } from './monitor';
import { withHeartbeats } from './heartbeats';
import type { ActivityDeps } from './deps';

export type { ActivityDeps } from './deps';

/**
 * Every activity the worker registers, built from injected dependencies, each heartbeating
 * while it runs so a dead worker's attempt is retried within the heartbeat timeout.
 */
export function createActivities(deps: ActivityDeps) {
  return withHeartbeats({ ...createCloroActivities(deps), ...createBatchActivities(deps), ...createMonitorActivities(deps) });
}

/** The activity functions by name, for `proxyActivities<Activities>`. */
export type Activities = ReturnType<typeof createActivities>;
