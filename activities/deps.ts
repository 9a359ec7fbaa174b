import type { CloroClient } from '../src/cloro/client';
import type { PageDownloadOptions } from '../src/cloro/pages';
import type { DbResultStore } from '../src/store/db-store';
import type { MonitorStore } from '../src/store/monitors';
import type { PromptSetStore, ResultStore } from '../src/store/record';

/** What activities need from the outside world; tests pass their own. */
export interface ActivityDeps {
  cloro: Pick<CloroClient, 'createTask' | 'getTask' | 'getStatus' | 'getCredits' | 'cancelQueued'>;
  /** The results database: answers, and the prompt sets of large batches. */
  store: ResultStore & PromptSetStore & Pick<DbResultStore, 'listBatch' | 'saveAnswerPages'>;
  /** How `html` pages are downloaded (defaults: 5 MiB a page, 30 s); tests shrink the cap. */
  pages?: Partial<Pick<PageDownloadOptions, 'maxBytes' | 'timeoutMs' | 'fetch'>>;
  /** Monitors' definitions, runs and metrics (same database); absent → monitor runs fail with a ConfigError. */
  monitors?: MonitorStore;
  /** The bridge's callback URL for a workflow; absent when no bridge is configured. */
  callbackUrl?: (workflowId: string) => string;
}
