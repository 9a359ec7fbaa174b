/**
 * `cloro-temporal/worker`: what a worker process needs to run cloro's workflows and
 * activities — the Temporal plugin, the activity factory, the results store, the cloro client
 * and the payload encryption codec.
 */
export { CloroPlugin, CLORO_PLUGIN_NAME, type CloroPluginOptions } from '../temporal/plugin';
export { DEFAULT_CLORO_REQUESTS_PER_SECOND, WORKFLOWS_PATH } from '../temporal/worker';
export { createActivities, type Activities, type ActivityDeps } from '../../activities';
export { openCloroStore, type CloroStore, type OpenCloroStoreOptions } from '../store/open-cloro-store';
export { CloroClient, type CloroClientOptions } from '../cloro/client';
export { apiTaskQueue } from '../../workflows/definitions';
export { createCloroPayloadCodec, PayloadDecryptionError } from '../codec/encryption-codec';
export type { PayloadKey } from '../codec/payload-keys';
