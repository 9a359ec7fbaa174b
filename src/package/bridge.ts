/** `cloro-temporal/bridge`: the webhook → signal server. Placeholder until the bridge entry lands. */
export {
  /** Builds the webhook bridge as a Fastify app: cloro's webhooks in, signals to the prompt workflows out. */
  buildBridge,
  /** What the bridge needs: the notifier that signals workflows, the bridge secret, cloro's signing secret, limits. */
  type BridgeDeps,
} from '../bridge/app';
