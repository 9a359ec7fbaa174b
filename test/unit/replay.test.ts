import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../../src/temporal/worker';

/**
 * Recorded histories of real runs (see test/fixtures/histories/README.md) must replay
 * against today's workflow code: a change of workflow shape without `patched()` fails here
 * instead of breaking workflows that are already running.
 */
const dir = path.join(__dirname, '..', 'fixtures', 'histories');

describe('workflow replay', () => {
  it('replays every recorded history without nondeterminism', async () => {
    const files = (await readdir(dir)).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(5);
    const histories = files.map(async (file) => ({
      workflowId: file,
      history: historyFromJSON(JSON.parse(await readFile(path.join(dir, file), 'utf8'))),
    }));
    const results = Worker.runReplayHistories({ workflowsPath: WORKFLOWS_PATH, bundlerOptions: { ignoreModules: [] } }, (async function* () {
      for (const h of histories) yield await h;
    })());
    const failures: string[] = [];
    for await (const result of results) if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    expect(failures).toEqual([]);
  });
});
