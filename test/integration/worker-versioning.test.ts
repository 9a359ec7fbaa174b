/**
 * Worker Deployment Versioning on the real dev server, as an operator rolls out a build: a
 * prompt started on version v1 stays PINNED to it, workflow and cloro calls alike, after v2
 * became current with `temporal worker deployment set-current-version`; new prompts go to v2.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { startBatch, toBatchItems } from '../../src/batches/start';
import { startPrompt } from '../../src/prompts/start';
import { type CloroWorkers, createWorker, WORKFLOWS_PATH } from '../../src/temporal/worker';
import { quietBundlerLogger } from '../helpers/bundler-logger';
import { type Harness, promptInput, startHarness, temporalCli } from '../helpers/prompt-harness';
import { testNamespace, uniqueTaskQueue } from '../helpers/temporal';
import { promptWorkflowId } from '../../workflows/definitions';

type HistoryEvent = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>[number];

describe('worker deployment versioning', () => {
  let h: Harness;
  let workflowBundle: WorkflowBundleWithSourceMap;
  beforeAll(async () => {
    // Long enough that the v1 prompt still waits for its task when v2 takes over.
    h = await startHarness({ processingMs: { min: 6_000, max: 6_000 } });
    // Both builds run the same code: which build runs what is the server's routing, not the code.
    workflowBundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietBundlerLogger });
  });
  afterAll(async () => {
    await h?.close();
  });

  /** Versioned workers of one deployment on one task queue, started build by build and all stopped by `stop()`. */
  function deployment() {
    const name = `cloro-test-${randomBytes(3).toString('hex')}`;
    const taskQueue = uniqueTaskQueue('versioning');
    const running: Promise<void>[] = [];
    const workers: CloroWorkers[] = [];
    return {
      name,
      taskQueue,
      async start(buildId: string) {
        const worker = await createWorker({
          connection: h.connection,
          namespace: testNamespace(),
          taskQueue,
          deps: h.deps(),
          workflowBundle,
          deployment: { name, buildId },
          identity: `worker-${buildId}`,
        });
        workers.push(worker);
        running.push(worker.run());
      },
      async stop() {
        for (const worker of workers) worker.shutdown();
        await Promise.allSettled(running);
      },
    };
  }

  it('keeps a running prompt on the build that started it while new prompts go to the current one', async () => {
    const d = deployment();
    const { taskQueue } = d;
    try {
      await d.start('v1');
      await setCurrentVersion(d.name, 'v1');
      const first = await startPrompt(h.client, promptInput({ delivery: 'poll' }), taskQueue);
      await waitFor(async () => (await h.client.workflow.getHandle(first.workflowId).fetchHistory()).events?.some(isActivityCompleted));

      await d.start('v2');
      await setCurrentVersion(d.name, 'v2');
      const switchedAt = Date.now();
      const second = await startPrompt(h.client, promptInput({ delivery: 'poll' }), taskQueue);

      const summaries = await Promise.all([first.handle.result(), second.handle.result()]);
      expect(summaries.map((s) => s.status)).toEqual(['COMPLETED', 'COMPLETED']);
      // The first prompt did work after the switch, so staying on v1 was the server's choice, not luck.
      const firstEvents = (await first.handle.fetchHistory()).events ?? [];
      expect(firstEvents.some((e) => e.workflowTaskCompletedEventAttributes && Number(e.eventTime?.seconds) * 1000 > switchedAt)).toBe(
        true,
      );

      for (const [started, buildId] of [
        [first, 'v1'],
        [second, 'v2'],
      ] as const) {
        const info = (await started.handle.describe()).raw.workflowExecutionInfo?.versioningInfo;
        expect(info?.behavior).toBe(1); // VERSIONING_BEHAVIOR_PINNED
        expect(info?.deploymentVersion?.buildId).toBe(buildId);
        // Every workflow task and every activity (the cloro calls on the -api queue too) ran on that build's workers.
        const events = (await started.handle.fetchHistory()).events ?? [];
        const identities = new Set(events.flatMap(identityOf));
        expect(identities).toEqual(new Set([`worker-${buildId}`]));
      }
    } finally {
      await d.stop();
    }
  });

  it('runs a batch as AUTO_UPGRADE and its prompts as PINNED children', async () => {
    const d = deployment();
    try {
      await d.start('v1');
      await setCurrentVersion(d.name, 'v1');
      const batchId = `versioning-${randomUUID()}`;
      const requests = [1, 2].map((n) => ({
        taskType: 'CHATGPT' as const,
        prompt: `Versioned batch prompt ${n} (${batchId})`,
        delivery: 'poll' as const,
      }));
      const { handle } = await startBatch(h.client, {
        batchId,
        requests,
        taskQueue: d.taskQueue,
        promptSets: h.store,
        tuning: { statusIntervalMs: 1_000 },
      });
      expect(await handle.result()).toMatchObject({ completed: 2 });

      const behaviourOf = async (workflowId: string) => {
        const info = (await h.client.workflow.getHandle(workflowId).describe()).raw.workflowExecutionInfo?.versioningInfo;
        return { behavior: info?.behavior, buildId: info?.deploymentVersion?.buildId };
      };
      expect(await behaviourOf(handle.workflowId)).toEqual({ behavior: 2, buildId: 'v1' }); // VERSIONING_BEHAVIOR_AUTO_UPGRADE
      for (const item of toBatchItems(batchId, requests)) {
        expect(await behaviourOf(promptWorkflowId(item.idempotencyKey))).toEqual({ behavior: 1, buildId: 'v1' });
      }
    } finally {
      await d.stop();
    }
  });
});

function isActivityCompleted(event: HistoryEvent): boolean {
  return Boolean(event.activityTaskCompletedEventAttributes);
}

/** Who ran a workflow task or an activity attempt. */
function identityOf(event: HistoryEvent): string[] {
  const identity = event.workflowTaskCompletedEventAttributes?.identity ?? event.activityTaskStartedEventAttributes?.identity;
  return identity ? [identity] : [];
}

/** What the operator runs; retried until the version's workers have polled, which registers it. */
async function setCurrentVersion(deploymentName: string, buildId: string): Promise<void> {
  await waitFor(() =>
    temporalCli(['worker', 'deployment', 'set-current-version', '--deployment-name', deploymentName, '--build-id', buildId, '--yes']).then(
      () => true,
      () => false,
    ),
  );
}

async function waitFor(check: () => Promise<boolean | undefined>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
