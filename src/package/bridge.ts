/** `cloro-temporal/bridge`: the webhook → signal server. Placeholder until the bridge entry lands. */
export { buildBridge, type BridgeDeps } from '../bridge/app';
