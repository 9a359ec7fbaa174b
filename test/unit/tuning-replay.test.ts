import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { type Configuration, NormalModuleReplacementPlugin } from 'webpack';
import { WORKFLOWS_PATH } from '../../src/temporal/worker';
import { quietBundlerLogger } from '../helpers/bundler-logger';

/**
 * workflows/tuning.ts says its defaults are workflow code: this shows why. The same recorded
 * batch history replays under the real defaults and fails under a bundle whose
 * DEFAULT_BATCH_TUNING.eventBudget differs (the replayed run would continue as new where the
 * recorded one went on). Only the file path and the export name are assumed, so the test
 * survives workflows/ being reorganised around tuning.ts.
 */
const root = path.join(__dirname, '..', '..');
const realTuning = path.join(root, 'workflows', 'tuning');
const changedTuning = path.join(root, 'test', 'fixtures', 'tuning-changed.ts');
// Recorded without an eventBudget in its input, so the default decides where it continues as new.
const historyFile = path.join(root, 'test', 'fixtures', 'histories', 'batch-stopped-by-budget.json');

/** Points every import of workflows/tuning.ts at the fixture, except the fixture's own. */
function withChangedTuning(config: Configuration): Configuration {
  const swap = new NormalModuleReplacementPlugin(/tuning(\.ts)?$/, (resolve) => {
    if (resolve.contextInfo.issuer === changedTuning) return;
    if (path.resolve(resolve.context, resolve.request).replace(/\.ts$/, '') === realTuning) resolve.request = changedTuning;
  });
  return { ...config, plugins: [...(config.plugins ?? []), swap] };
}

async function replay(webpackConfigHook?: (config: Configuration) => Configuration) {
  const workflowBundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, webpackConfigHook, logger: quietBundlerLogger });
  const history = historyFromJSON(JSON.parse(await readFile(historyFile, 'utf8')));
  return Worker.runReplayHistory({ workflowBundle }, history, path.basename(historyFile));
}

describe('replay-sensitive defaults', () => {
  it('replays a recorded batch under the defaults it ran with', async () => {
    await expect(replay()).resolves.toBeUndefined();
  });

  it('fails replay with a nondeterminism error when a default changes without patched()', async () => {
    await expect(replay(withChangedTuning)).rejects.toThrow(DeterminismViolationError);
  });
});
