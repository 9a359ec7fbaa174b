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
  it('replays every recorded prompt and batch history without nondeterminism', async () => {
    const files = (await readdir(dir)).filter((f) => f.endsWith('.json'));
    const histories = await Promise.all(
      files.map(async (file) => ({ workflowId: file, history: historyFromJSON(JSON.parse(await readFile(path.join(dir, file), 'utf8'))) })),
    );
    const types = histories.map(({ history }) => history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name);
    expect(types.filter((t) => t === 'promptWorkflow').length).toBeGreaterThanOrEqual(5);
    // first run, a run started from carried state, the last run; cancelled; stopped by budget
    expect(types.filter((t) => t === 'batchWorkflow').length).toBeGreaterThanOrEqual(5);

    const results = Worker.runReplayHistories({ workflowsPath: WORKFLOWS_PATH, bundlerOptions: { ignoreModules: [] } }, histories);
    const failures: string[] = [];
    for await (const result of results) if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    expect(failures).toEqual([]);
  });
});
