import { createBatchActivities } from './batch';
import { createCloroActivities } from './cloro';
import { createMonitorActivities } from './monitor';
import type { ActivityDeps } from './deps';

export type { ActivityDeps } from './deps';

/** Every activity the worker registers, built from injected dependencies. */
export function createActivities(deps: ActivityDeps) {
  return { ...createCloroActivities(deps), ...createBatchActivities(deps), ...createMonitorActivities(deps) };
}

/** The activity functions by name, for `proxyActivities<Activities>`. */
export type Activities = ReturnType<typeof createActivities>;
