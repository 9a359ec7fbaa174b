import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../../src/config';

const k32 = () => randomBytes(32).toString('base64');

describe('CLORO_PAYLOAD_KEYS and CLORO_PAYLOAD_KEYS_FILE', () => {
  it('are off by default', () => {
    expect(loadConfig({}).payloadKeys).toBeUndefined();
    expect(loadConfig({ CLORO_PAYLOAD_KEYS: ' ' }).payloadKeys).toBeUndefined();
  });

  it('read id=base64 entries, current first, separated by commas or white space', () => {
    const [a, b] = [k32(), k32()];
    const keys = loadConfig({ CLORO_PAYLOAD_KEYS: `new=${a}, old=${b}` }).payloadKeys!;
    expect(keys.map((k) => k.id)).toEqual(['new', 'old']);
    expect(Buffer.from(keys[0]!.key).toString('base64')).toBe(a);
    expect(loadConfig({ CLORO_PAYLOAD_KEYS: `new=${a}\nold=${b}` }).payloadKeys!.map((k) => k.id)).toEqual(['new', 'old']);
  });

  it('name the variable, the entry and the rule for bad base64, a wrong length and a duplicate id, without the key', () => {
    const load = (value: string) => () => loadConfig({ CLORO_PAYLOAD_KEYS: value });
    expect(load('k1=not*base64')).toThrow(ConfigError);
    expect(load('k1=not*base64')).toThrow(/^CLORO_PAYLOAD_KEYS: entry 1 \("k1"\): key is not base64/);
    const short = randomBytes(16).toString('base64');
    expect(load(`k1=${k32()},k2=${short}`)).toThrow(/^CLORO_PAYLOAD_KEYS: entry 2 \("k2"\): key must be 32 bytes for AES-256, got 16/);
    expect(load(`k1=${short}`)).not.toThrow(new RegExp(short.replace(/[+/=]/g, '.')));
    expect(load(`k1=${k32()},k1=${k32()}`)).toThrow(/^CLORO_PAYLOAD_KEYS: entry 2: duplicate key id "k1"/);
    // A bare key (its `=` padding is no separator) and an id with a space in it.
    expect(load(k32())).toThrow(/^CLORO_PAYLOAD_KEYS: entry 1: expected id=base64key/);
    expect(load(`=${k32()}`)).toThrow(/^CLORO_PAYLOAD_KEYS: entry 1: expected id=base64key/);
    // A bare key with no + or / in it looks like an id followed by `=`: still not echoed.
    const plain = `${'A'.repeat(43)}=`;
    expect(load(plain)).toThrow(/^CLORO_PAYLOAD_KEYS: entry 1: expected id=base64key/);
    expect(load(plain)).not.toThrow(/AAAA/);
  });

  it('read a key file with comment lines, and name CLORO_PAYLOAD_KEYS_FILE in its errors', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cloro-keys-'));
    const file = path.join(dir, 'keys');
    writeFileSync(file, `# current first\n2026-06=${k32()}\n# retired in June, kept for old histories\n2025-01=${k32()}\n`);
    expect(loadConfig({ CLORO_PAYLOAD_KEYS_FILE: file }).payloadKeys!.map((k) => k.id)).toEqual(['2026-06', '2025-01']);
    writeFileSync(file, 'k1=abc\n');
    expect(() => loadConfig({ CLORO_PAYLOAD_KEYS_FILE: file })).toThrow(/^CLORO_PAYLOAD_KEYS_FILE: entry 1 \("k1"\): key must be 32 bytes/);
    expect(() => loadConfig({ CLORO_PAYLOAD_KEYS_FILE: path.join(dir, 'missing') })).toThrow(
      /^CLORO_PAYLOAD_KEYS_FILE: cannot read .* \(ENOENT\)/,
    );
    expect(() => loadConfig({ CLORO_PAYLOAD_KEYS_FILE: file, CLORO_PAYLOAD_KEYS: `k=${k32()}` })).toThrow(/not both/);
  });

  it('require a codec server token of at least 16 bytes and web origins', () => {
    expect(() => loadConfig({ CODEC_SERVER_TOKEN: 'short' })).toThrow(/^CODEC_SERVER_TOKEN: must be at least 16 bytes/);
    expect(() => loadConfig({ CODEC_SERVER_CORS_ORIGINS: 'ftp://ui.example.com' })).toThrow(/^CODEC_SERVER_CORS_ORIGINS/);
    expect(loadConfig({ CODEC_SERVER_CORS_ORIGINS: 'https://ui.example.com https://b.example.com' }).codecServer.corsOrigins).toEqual([
      'https://ui.example.com',
      'https://b.example.com',
    ]);
  });
});
