/**
 * e2e tests run the built CLI (`node dist/src/cli/index.js`), as a user does. The build
 * runs once per jest run: a marker in the run's temp dir (see global-setup.ts) tells later
 * test files it is done; jest gives every file a fresh module registry, so a variable would not.
 */
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { testTemporalState } from './temporal';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CLI = path.join(ROOT, 'dist', 'src', 'cli', 'index.js');

const BUILD_TIMEOUT_MS = 180_000;
let builtInThisFile = false;

/** `npm run build`, once per jest run; rejects with tsc's output when the build fails. */
export async function ensureBuilt(): Promise<void> {
  if (builtInThisFile) return;
  const stateDir = testTemporalState().stateDir;
  const marker = stateDir ? path.join(stateDir, 'cli-built') : undefined;
  if (marker && existsSync(marker)) {
    builtInThisFile = true;
    return;
  }
  await new Promise<void>((resolve, reject) => {
    execFile(
      'npm',
      ['run', 'build', '--silent'],
      { cwd: ROOT, timeout: BUILD_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`npm run build failed: ${err.message}\n${stdout}${stderr}`));
        else resolve();
      },
    );
  });
  if (marker) writeFileSync(marker, `${new Date().toISOString()}\n`);
  builtInThisFile = true;
}
