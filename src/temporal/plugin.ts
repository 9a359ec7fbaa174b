/**
 * cloro as a Temporal worker plugin, for workers the user creates. cloro's workflows proxy
 * every call to cloro onto a second task queue, `<taskQueue>-api`, whose server-side rate
 * limit holds across all workers (see worker.ts); so a deployment runs two workers, and the
 * plugin reads which one it is applied to from the worker's task queue rather than taking a
 * mode option: one plugin instance serves both `Worker.create` calls.
 */
import type { DataConverter, PayloadCodec } from '@temporalio/common';
import { SimplePlugin } from '@temporalio/plugin';
import type { WorkerOptions } from '@temporalio/worker';
import { type ActivityDeps, createActivities } from '../../activities';
import { callbackUrl } from '../bridge/token';
import { CloroClient } from '../cloro/client';
import type { MonitorStore } from '../store/monitors';
import { DEFAULT_CLORO_REQUESTS_PER_SECOND, WORKFLOWS_PATH } from './worker';

/** Options of {@link CloroPlugin}. Give `apiKey` (and `baseUrl` for the simulator) or a ready `client`. */
export interface CloroPluginOptions {
  /** cloro API key; stays in the activities, never in workflow history. */
  apiKey?: string;
  /** cloro API base; default cloro's own (the simulator's `url` in tests). */
  baseUrl?: string;
  /** A ready cloro client (instead of apiKey/baseUrl): a `CloroClient`, or a stand-in in tests. */
  client?: ActivityDeps['cloro'];
  /** Where answers go: `openCloroStore()`'s result, or any object with the same `results` (and `monitors`). */
  store: { results: ActivityDeps['store']; monitors?: MonitorStore };
  /**
   * Public base URL of a webhook bridge (`cloro-temporal/bridge`) with `bridgeSecret`: prompts
   * with delivery `auto` then wake on cloro's webhook instead of polling.
   */
  bridgeUrl?: string;
  /** The bridge's secret (at least 32 bytes), shared with the bridge, which checks the callback tokens. */
  bridgeSecret?: string;
  /** Builds the callback URL for a workflow yourself (instead of bridgeUrl/bridgeSecret). */
  callbackUrl?: (workflowId: string) => string;
  /** Server-side limit on cloro calls per second across all API workers; default 200. */
  cloroRequestsPerSecond?: number;
  /**
   * Encrypts payloads in history: `createCloroPayloadCodec(keys)`, added after the worker's own
   * codecs. Give your clients the same codec (their `dataConverter.payloadCodecs`).
   */
  payloadCodec?: PayloadCodec;
}

/** The plugin's name, as Temporal lists it. */
export const CLORO_PLUGIN_NAME = 'cloro-temporal';

/**
 * Registers cloro's activities on the worker it is applied to, and:
 * - on a worker whose queue is `apiTaskQueue(q)` (`<q>-api`, where the workflows send every
 *   cloro call): sets `maxTaskQueueActivitiesPerSecond` (unless the worker sets it) and no workflows;
 * - on any other worker that brings no workflows of its own: registers cloro's workflows
 *   (a dedicated cloro worker, set-up a);
 * - on a worker with its own `workflowsPath`/`workflowBundle`: leaves them alone (set-up b:
 *   your workflows module re-exports `promptWorkflow`/`batchWorkflow` from `cloro-temporal/workflow`).
 *
 * Either way run both workers, `q` and `<q>-api`, with the same plugin instance. Built on
 * `@temporalio/plugin`'s `SimplePlugin`, which the SDK still marks experimental.
 */
export class CloroPlugin extends SimplePlugin {
  private readonly requestsPerSecond: number;

  constructor(options: CloroPluginOptions) {
    const { payloadCodec } = options;
    super({
      name: CLORO_PLUGIN_NAME,
      activities: createActivities(activityDeps(options)),
      ...(payloadCodec ? { dataConverter: (existing?: DataConverter) => withCodecLast(existing, payloadCodec) } : {}),
    });
    this.requestsPerSecond = options.cloroRequestsPerSecond ?? DEFAULT_CLORO_REQUESTS_PER_SECOND;
  }

  override configureWorker(options: WorkerOptions): WorkerOptions {
    const configured = super.configureWorker(options);
    if (isApiTaskQueue(options.taskQueue)) {
      return { ...configured, maxTaskQueueActivitiesPerSecond: options.maxTaskQueueActivitiesPerSecond ?? this.requestsPerSecond };
    }
    if (configured.workflowsPath !== undefined || configured.workflowBundle !== undefined) return configured;
    return { ...configured, workflowsPath: WORKFLOWS_PATH };
  }
}

/** Encoding runs the codecs first to last: last in the list, encryption sees what any compression codec made. */
function withCodecLast(existing: DataConverter | undefined, codec: PayloadCodec): DataConverter {
  return { ...existing, payloadCodecs: [...(existing?.payloadCodecs ?? []), codec] };
}

/** The `-api` suffix is what `apiTaskQueue` adds (workflows/definitions/activities.ts). */
function isApiTaskQueue(taskQueue: string | undefined): boolean {
  return taskQueue?.endsWith('-api') ?? false;
}

function activityDeps(options: CloroPluginOptions): ActivityDeps {
  const cloro = options.client ?? (options.apiKey ? new CloroClient({ apiKey: options.apiKey, baseURL: options.baseUrl }) : undefined);
  if (!cloro) throw new TypeError('CloroPlugin needs an apiKey or a client');
  const deps: ActivityDeps = { cloro, store: options.store.results };
  if (options.store.monitors) deps.monitors = options.store.monitors;
  const { bridgeUrl, bridgeSecret } = options;
  if (options.callbackUrl) deps.callbackUrl = options.callbackUrl;
  else if (bridgeUrl && bridgeSecret) deps.callbackUrl = (workflowId) => callbackUrl(bridgeUrl, bridgeSecret, workflowId);
  else if (bridgeUrl) throw new TypeError('CloroPlugin: bridgeUrl needs bridgeSecret (the secret the bridge checks callback tokens with)');
  return deps;
}
