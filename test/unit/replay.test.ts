import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { type ReplayWorkerOptions, Worker } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../../src/temporal/worker';
import { startTracing } from '../../src/tracing/tracing';

/**
 * Recorded histories of real runs (see test/fixtures/histories/README.md) must replay
 * against today's workflow code: a change of workflow shape without `patched()` fails here
 * instead of breaking workflows that are already running.
 */
const dir = path.join(__dirname, '..', 'fixtures', 'histories');

async function recordedHistories() {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json'));
  return Promise.all(
    files.map(async (file) => ({ workflowId: file, history: historyFromJSON(JSON.parse(await readFile(path.join(dir, file), 'utf8'))) })),
  );
}

async function replayFailures(options: ReplayWorkerOptions, histories: Awaited<ReturnType<typeof recordedHistories>>): Promise<string[]> {
  const failures: string[] = [];
  for await (const result of Worker.runReplayHistories(options, histories)) {
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  return failures;
}

describe('workflow replay', () => {
  it('replays every recorded prompt and batch history without nondeterminism', async () => {
    const histories = await recordedHistories();
    const types = histories.map(({ history }) => history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name);
    expect(types.filter((t) => t === 'promptWorkflow').length).toBeGreaterThanOrEqual(5);
    // first run, a run started from carried state, the last run; cancelled; stopped by budget
    expect(types.filter((t) => t === 'batchWorkflow').length).toBeGreaterThanOrEqual(5);

    expect(await replayFailures({ workflowsPath: WORKFLOWS_PATH, bundlerOptions: { ignoreModules: [] } }, histories)).toEqual([]);
  });

  it('replays them with the tracing interceptors in the bundle, as a worker with tracing on runs them', async () => {
    // Histories recorded without tracing meet workers with it (and back): the interceptors add headers and spans, never commands.
    const tracing = startTracing({ enabled: true, otlpEndpoint: 'http://127.0.0.1:9', serviceName: undefined }, 'replay-test');
    if (!tracing) throw new Error('tracing should be on');
    try {
      const options = { workflowsPath: WORKFLOWS_PATH, bundlerOptions: { ignoreModules: [] }, plugins: [tracing.plugin] };
      expect(await replayFailures(options, await recordedHistories())).toEqual([]);
    } finally {
      await tracing.shutdown();
    }
  });
});
