import type { Config } from '../config';
import { devStackFilePath, readDevStackFile } from './dev-stack-file';
import { isAlive } from './process-alive';

/**
 * For commands run in another terminal while `dev` serves: unless TEMPORAL_ADDRESS says
 * otherwise, talk to the stack `dev` wrote down (it may have moved to free ports), and link
 * to its Web UI.
 */
export async function withDevStackDefaults(cfg: Config): Promise<{ cfg: Config; uiUrl: string | undefined }> {
  if (cfg.temporal.address) return { cfg, uiUrl: undefined };
  const stack = await readDevStackFile(devStackFilePath(cfg.home));
  if (!stack || !isAlive(stack.pid)) return { cfg, uiUrl: undefined };
  return {
    cfg: { ...cfg, temporal: { ...cfg.temporal, address: stack.temporal.address, namespace: stack.temporal.namespace } },
    uiUrl: stack.temporal.uiUrl ?? undefined,
  };
}
