/**
 * `cloro-temporal/bridge`: turns cloro's webhooks into Temporal signals, mounted where you
 * serve HTTP. Three ways, one implementation of the checks (callback token, body limit,
 * `X-Cloro-Signature` on the raw bytes, schema, Retry-After on 503, logs without tokens):
 *
 * - in your Fastify app: `app.register(cloroBridgePlugin, { client, bridgeSecret })`;
 * - in any other server: `createCloroWebhookHandler(options)` (request in, response out);
 * - on its own port, with `/healthz` and `/readyz`: `startBridge({ port, client, bridgeSecret })`.
 *
 * The bridge secret is the one the worker builds callback URLs with (`callbackUrl`).
 *
 * @packageDocumentation
 */
export { cloroBridgePlugin, type CloroBridgePluginOptions } from '../bridge/plugin';
export {
  createCloroWebhookHandler,
  DEFAULT_BODY_LIMIT,
  DEFAULT_RETRY_AFTER_SECONDS,
  type CloroWebhookHandlerOptions,
  type WebhookHandler,
  type WebhookRequest,
  type WebhookResponse,
  type WebhookSettings,
} from '../bridge/webhook-handler';
export { startBridge, type RunningBridge, type StartBridgeOptions } from '../bridge/server';
export type { BridgeDeps } from '../bridge/app';
export {
  temporalNotifier,
  DEFAULT_NOTIFY_TIMEOUT_MS,
  type NotifierSource,
  type TemporalNotifierOptions,
} from '../bridge/temporal-notifier';
export type { Notifier, NotifyOutcome } from '../bridge/notifier';
export { callbackToken, callbackUrl, WEBHOOK_ROUTE_PREFIX } from '../bridge/token';
export type { RawBody } from '../bridge/raw-body';
export type { BridgeLogger } from '../bridge/log';
