/**
 * The package as a user gets it: packed once, installed into a fresh project outside the
 * repo (no path back to its sources), compiled with that project's own strict tsconfig, and
 * run. The project is examples/own-worker — its own worker with CloroPlugin, its own workflow
 * asking three engines through cloroPrompt — against the test Temporal server and the
 * package's own simulator.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ensureBuilt, ROOT } from '../helpers/build';
import { cleanEnv } from '../helpers/cli';
import { testNamespace, testTemporalState, uniqueTaskQueue } from '../helpers/temporal';

const run = promisify(execFile);
const ENTRIES = ['worker', 'workflow', 'client', 'bridge', 'simulator'];
const EXAMPLE = path.join(ROOT, 'examples', 'own-worker');

let project: string;

beforeAll(async () => {
  await ensureBuilt();
  project = await mkdtemp(path.join(os.tmpdir(), 'cloro-temporal-user-'));
  await cp(EXAMPLE, project, { recursive: true, filter: (file) => !/[/\\](node_modules|dist)$/.test(file) });
  // What prepack does, on the build above (ensureBuilt runs once per jest run), hence --ignore-scripts.
  await run('npm', ['run', 'build:esm', '--silent'], { cwd: ROOT });
  const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', project], { cwd: ROOT });
  const [{ filename }] = JSON.parse(packed.stdout) as { filename: string }[];
  const manifest = JSON.parse(await readFile(path.join(project, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  manifest.dependencies['cloro-temporal'] = `file:./${path.basename(filename)}`;
  await writeFile(path.join(project, 'package.json'), JSON.stringify(manifest, null, 2));
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: project, timeout: 600_000 });
}, 900_000);

afterAll(async () => {
  if (project) await rm(project, { recursive: true, force: true });
});

it('compiles a user project strictly against the packed package and brings three typed answers back', async () => {
  await run('npx', ['tsc', '-p', '.'], { cwd: project });
  const { stdout, stderr } = await run('node', ['dist/main.js'], {
    cwd: project,
    timeout: 240_000,
    env: cleanEnv({
      TEMPORAL_ADDRESS: testTemporalState().address,
      TEMPORAL_NAMESPACE: testNamespace(),
      APP_TASK_QUEUE: uniqueTaskQueue('app'),
      CLORO_TASK_QUEUE: uniqueTaskQueue('cloro'),
    }),
  });
  // The workers bundle the package's workflow code: shipped without its source maps, webpack warns on every module.
  expect(stderr).not.toMatch(/with warnings/);
  const answers = stdout.trim().split('\n');
  expect(answers).toHaveLength(3);
  for (const [n, engine] of ['chatgpt', 'perplexity', 'gemini'].entries()) {
    expect(answers[n]).toMatch(new RegExp(`^COMPLETED ${engine}-\\S+ task=\\S+ chars=[1-9]\\d* sources=\\d+$`));
  }
}, 300_000);

it('gives import and require the same names on every subpath, and installs the CLI', async () => {
  const script = `
    import { createRequire } from 'node:module';
    import { pathToFileURL } from 'node:url';
    const require = createRequire(pathToFileURL(process.cwd() + '/'));
    const names = {};
    for (const entry of ${JSON.stringify(ENTRIES)}) {
      const esm = Object.keys(await import('cloro-temporal/' + entry)).filter((name) => name !== 'default');
      const cjs = Object.keys(require('cloro-temporal/' + entry)).filter((name) => name !== '__esModule');
      names[entry] = { esm: esm.sort(), cjs: cjs.sort() };
    }
    console.log(JSON.stringify({ names, version: require('cloro-temporal/package.json').version }));`;
  const { stdout } = await run('node', ['--input-type=module', '-e', script], { cwd: project });
  const { names, version } = JSON.parse(stdout) as { names: Record<string, { esm: string[]; cjs: string[] }>; version: string };
  for (const entry of ENTRIES) {
    expect(names[entry].cjs.length).toBeGreaterThan(0);
    expect(names[entry].esm).toEqual(names[entry].cjs);
  }
  const cli = await run('npx', ['--no-install', 'cloro-temporal', '--version'], { cwd: project });
  expect(cli.stdout.trim()).toBe(version);
}, 60_000);
