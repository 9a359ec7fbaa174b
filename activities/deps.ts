import type { CloroClient } from '../src/cloro/client';
import type { ResultStore } from '../src/store/record';

/** What activities need from the outside world; tests pass their own. */
export interface ActivityDeps {
  cloro: Pick<CloroClient, 'createTask' | 'getTask' | 'getStatus' | 'getCredits' | 'cancelQueued'>;
  store: ResultStore;
  /** The bridge's callback URL for a workflow; absent when no bridge is configured. */
  callbackUrl?: (workflowId: string) => string;
  /** Where large batches' prompt sets are stored (the state dir); absent → only inline batches. */
  promptSetDir?: string;
}
