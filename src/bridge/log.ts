/**
 * Logging for webhook deliveries, whichever host serves them: the smallest logger shape
 * the bridge needs (pino and Fastify's request logger both fit), and the helpers that keep
 * tokens, secrets and bodies out of log lines.
 */

/** What the bridge logs through: a pino logger, Fastify's `request.log`, or anything shaped like them. */
export interface BridgeLogger {
  child(bindings: Record<string, unknown>): BridgeLogger;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** For hosts that pass no logger: the bridge then logs nothing. */
export const silentLogger: BridgeLogger = {
  child: () => silentLogger,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Log fields come from the caller; clip them so a hostile header cannot flood the log. */
export const clip = (value: string | undefined, max = 200): string | undefined =>
  value === undefined ? undefined : value.length > max ? `${value.slice(0, max)}…` : value;

/**
 * "ServiceError: …; cause: …" — enough to diagnose, without dumping whole error objects
 * (gRPC errors carry metadata) into every line of an outage.
 */
export function describeError(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err; e !== undefined && e !== null && parts.length < 3; e = (e as { cause?: unknown }).cause) {
    parts.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    if (!(e instanceof Error)) break;
  }
  return parts.join('; cause: ');
}

/**
 * The request line of a callback URL carries the token: keep only the part before it.
 * `routePath` is where the webhook route is mounted (prefix included).
 */
export function redactCallbackUrl(url: string, routePath: string): string {
  if (!url.startsWith(`${routePath}/`)) return url;
  const [workflowId] = url.slice(routePath.length + 1).split('/');
  return `${routePath}/${workflowId ?? ''}/[token]`;
}
