/**
 * Per-workflow callback tokens. The URL we hand cloro for a workflow carries
 * HMAC-SHA256(bridge secret, workflowId): unguessable per workflow, so knowing one callback
 * URL (or a workflow id from the Web UI) never lets anyone signal a different workflow.
 * Tokens are derived, not stored: the bridge only needs the secret, so it stays stateless.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ConfigError, type Config } from '../config';

/** The route the bridge serves; `callbackUrl` is the only place that builds one. */
export const WEBHOOK_ROUTE_PREFIX = '/webhooks/cloro';

/** File name of the generated secret inside `cfg.home`. */
export const BRIDGE_SECRET_FILE = 'bridge-secret';

/** The token in a workflow's callback URL: HMAC-SHA256 of the workflow id under the bridge secret, base64url. */
export function callbackToken(secret: string, workflowId: string): string {
  return createHmac('sha256', secret).update(workflowId, 'utf8').digest('base64url');
}

/** Timing-safe: the comparison takes the same time however many leading characters match. */
export function verifyCallbackToken(secret: string, workflowId: string, token: string): boolean {
  const expected = Buffer.from(callbackToken(secret, workflowId), 'utf8');
  const given = Buffer.from(token, 'utf8');
  // A length mismatch reveals only that the token is malformed (every real token has the same length).
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** `<base>/webhooks/cloro/<encoded workflowId>/<token>`; a path in the base (a reverse-proxy prefix) is kept. */
export function callbackUrl(publicBaseUrl: string, secret: string, workflowId: string): string {
  const base = publicBaseUrl.replace(/\/+$/, '');
  return `${base}${WEBHOOK_ROUTE_PREFIX}/${encodeURIComponent(workflowId)}/${callbackToken(secret, workflowId)}`;
}

/** Where cloro reaches the bridge: BRIDGE_PUBLIC_URL, else the local listener on the configured port. */
export function bridgePublicUrl(cfg: Pick<Config, 'bridge'>): string {
  return cfg.bridge.publicUrl ?? `http://127.0.0.1:${cfg.bridge.port}`;
}

/**
 * BRIDGE_SECRET when set; otherwise a generated secret kept in `cfg.home` (mode 0600), so a
 * restarted bridge still accepts the callback URLs of workflows started before the restart,
 * and the worker (which builds the URLs) and the bridge (which checks them) agree.
 */
export async function loadOrCreateBridgeSecret(cfg: Pick<Config, 'bridge' | 'home'>): Promise<string> {
  if (cfg.bridge.secret) return cfg.bridge.secret;
  const file = path.join(cfg.home, BRIDGE_SECRET_FILE);
  const existing = await readSecret(file);
  if (existing !== undefined) return existing;

  await fs.mkdir(cfg.home, { recursive: true, mode: 0o700 });
  // Write a temp file and link it into place: link() fails if the name exists, so two
  // processes starting at once agree on one secret and nobody ever reads a half-written file.
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await fs.writeFile(tmp, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await fs.link(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await fs.unlink(tmp).catch(() => undefined);
  }
  const created = await readSecret(file);
  if (created === undefined) throw new ConfigError(`could not create the bridge secret at ${file}`);
  return created;
}

async function readSecret(file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const secret = text.trim();
  if (secret === '') {
    // Regenerating silently would invalidate the callback URL of every running workflow.
    throw new ConfigError(`${file} is empty: delete it to generate a new bridge secret, or set BRIDGE_SECRET`);
  }
  return secret;
}
