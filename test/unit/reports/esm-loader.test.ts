import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..', '..');
/** Inside node_modules so the compiled file resolves the project's packages; never committed. */
const SCRATCH = path.join(ROOT, 'node_modules', '.cache', 'cloro-report-esm-loader');

/**
 * Jest only ever takes the loader's fallback (its sandbox refuses native import()), so this
 * compiles the loader as `npm run build` does and runs it in a plain Node with require() of
 * ES modules turned off: the path the CLI takes must not depend on Node ≥ 20.19.
 */
it('loads Plot and linkedom from tsc CommonJS output without require() of ES modules', async () => {
  const source = await readFile(path.join(ROOT, 'src', 'reports', 'esm-loader.ts'), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  await mkdir(SCRATCH, { recursive: true });
  const file = path.join(SCRATCH, 'esm-loader.js');
  try {
    await writeFile(file, outputText);
    const probe = `require(${JSON.stringify(file)}).loadChartModules().then(({ Plot, parseHTML }) => console.log(typeof Plot.plot, typeof parseHTML))`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--no-experimental-require-module', '-e', probe], { cwd: ROOT });
    expect(stdout.trim()).toBe('function function');
  } finally {
    await rm(SCRATCH, { recursive: true, force: true });
  }
});
