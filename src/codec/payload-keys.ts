/**
 * The payload encryption keys: `id=base64key` entries, separated by commas, spaces or new
 * lines (a key file may also hold `#` comment lines). The first entry is the current key,
 * the one new payloads are encrypted with; every entry decrypts. Rotating is adding a new
 * key in front and keeping the old ones as long as histories encrypted with them are read.
 * Messages name the entry by position and id, never by its key material.
 */
import { z } from 'zod';

/** AES-256 takes a 32-byte key. */
export const PAYLOAD_KEY_BYTES = 32;

/** A payload encryption key: its id (stored in each payload's metadata) and its 32 raw bytes. */
export interface PayloadKey {
  id: string;
  key: Uint8Array;
}

/** Ids go into payload metadata and error messages: short, printable, unambiguous. */
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
/** Standard or URL-safe base64, padding optional; Buffer.from would silently skip anything else. */
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** Splits the text into entries, dropping comment lines and empty ones. */
function entriesOf(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .split(/[\s,]+/)
    .filter(Boolean);
}

/** The reason an entry is unusable, or its key; pure so it can be shared by env and file. */
function parseEntry(entry: string, position: number): PayloadKey | string {
  const eq = entry.indexOf('=');
  const id = entry.slice(0, eq);
  const encoded = entry.slice(eq + 1);
  // A bare key has `=` only as its padding: what precedes it is key material, not an id to print.
  if (eq <= 0 || /^=*$/.test(encoded)) return `entry ${position}: expected id=base64key`;
  if (!KEY_ID.test(id)) return `entry ${position}: expected id=base64key, with an id of 1-64 of A-Z a-z 0-9 . _ -`;
  if (!BASE64.test(encoded)) return `entry ${position} ("${id}"): key is not base64 (make one with: openssl rand -base64 32)`;
  const key = Buffer.from(encoded, encoded.includes('-') || encoded.includes('_') ? 'base64url' : 'base64');
  if (key.length !== PAYLOAD_KEY_BYTES) {
    return `entry ${position} ("${id}"): key must be ${PAYLOAD_KEY_BYTES} bytes for AES-256, got ${key.length} (make one with: openssl rand -base64 32)`;
  }
  return { id, key };
}

/** A key list as text → keys, current first; each problem is one issue (no key material in it). */
export const PayloadKeyList = z.string().transform((text, ctx): PayloadKey[] => {
  const keys: PayloadKey[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  entriesOf(text).forEach((entry, i) => {
    const parsed = parseEntry(entry, i + 1);
    if (typeof parsed === 'string') problems.push(parsed);
    else if (seen.has(parsed.id)) problems.push(`entry ${i + 1}: duplicate key id "${parsed.id}"`);
    else {
      seen.add(parsed.id);
      keys.push(parsed);
    }
  });
  if (keys.length === 0 && problems.length === 0) problems.push('no keys (expected id=base64key, …)');
  for (const message of problems) ctx.addIssue({ code: 'custom', message });
  return keys;
});
