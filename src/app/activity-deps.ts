import type { ActivityDeps } from '../../activities';
import { callbackUrl, loadOrCreateBridgeSecret } from '../bridge/token';
import { CloroClient } from '../cloro/client';
import { type Config, ConfigError, DEFAULT_CLORO_BASE_URL } from '../config';
import { openResultStore } from '../store';
import { MonitorStore } from '../store/monitors';

export interface ActivityDepsOverrides {
  /** The embedded simulator's URL and key, when `dev` runs one. */
  cloroBaseURL?: string;
  cloroApiKey?: string;
  /**
   * Where cloro can reach the bridge. Webhooks are attached only when this (or
   * BRIDGE_PUBLIC_URL) is known: a guessed local URL nobody listens on would turn every
   * prompt into a slow safety-net poll.
   */
  bridgeUrl?: string;
}

export interface BuiltActivityDeps {
  deps: ActivityDeps;
  /** Where the results store is, for messages (never a password). */
  storeWhere: string;
  /** Closes the results store: call it once the worker has stopped. */
  close(): Promise<void>;
}

/**
 * The worker's view of the outside world, from config: cloro client, results store
 * (`openResultStore`: DATABASE_URL, a running dev stack's database, else the embedded one),
 * callback URLs. The caller owns the open store and closes it on shutdown.
 */
export async function buildActivityDeps(cfg: Config, overrides: ActivityDepsOverrides = {}): Promise<BuiltActivityDeps> {
  const apiKey = overrides.cloroApiKey ?? cfg.cloro.apiKey;
  if (!apiKey) throw new ConfigError('CLORO_API_KEY: required to reach cloro (or use `cloro-temporal dev`, which runs the simulator)');
  const cloro = new CloroClient({
    apiKey,
    baseURL: overrides.cloroBaseURL ?? cfg.cloro.baseURL ?? DEFAULT_CLORO_BASE_URL,
    timeout: cfg.cloro.timeoutMs,
  });
  const bridgeUrl = overrides.bridgeUrl ?? cfg.bridge.publicUrl;
  const secret = bridgeUrl ? await loadOrCreateBridgeSecret(cfg) : undefined;
  const opened = await openResultStore(cfg);
  const deps: ActivityDeps = { cloro, store: opened.results, monitors: new MonitorStore(opened.store.db) };
  if (bridgeUrl && secret) deps.callbackUrl = (workflowId) => callbackUrl(bridgeUrl, secret, workflowId);
  return { deps, storeWhere: opened.where, close: () => opened.close() };
}
