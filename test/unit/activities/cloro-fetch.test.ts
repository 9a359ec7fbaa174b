import { MockActivityEnvironment } from '@temporalio/testing';
import { createCloroActivities } from '../../../activities/cloro';
import type { ActivityDeps } from '../../../activities/deps';
import { TaskDocumentSchema, toCloroTask, type CloroTask } from '../../../src/cloro/schemas';

/** A task as cloro's GET would give it, with any status string. */
function task(status: string, idempotencyKey: string | null = 'key-1'): CloroTask {
  return toCloroTask(
    TaskDocumentSchema.parse({
      task: { id: 'task-1', taskType: 'CHATGPT', status, createdAt: '2026-01-01T00:00:00Z', idempotencyKey },
      credits: { creditsToCharge: 5, creditsCharged: status === 'COMPLETED' ? 5 : null },
      response: status === 'COMPLETED' ? { text: 'answer', model: 'm' } : undefined,
    }),
  );
}

function activities(read: CloroTask) {
  const saved: unknown[] = [];
  const deps = {
    cloro: { getTask: async () => read },
    store: {
      saveOutcome: async (_workflowId: string, outcome: unknown) => {
        saved.push(outcome);
        return 'ref-1';
      },
    },
  } as unknown as ActivityDeps;
  return { acts: createCloroActivities(deps), saved };
}

describe('fetchTask', () => {
  const env = new MockActivityEnvironment();

  it('reads a status it does not know as not finished yet, carrying the status', async () => {
    const { acts, saved } = activities(task('PAUSED'));
    await expect(env.run(acts.fetchTask, { workflowId: 'wf', taskId: 'task-1' })).resolves.toEqual({
      status: 'PROCESSING',
      cloroStatus: 'PAUSED',
    });
    expect(saved).toEqual([]);
  });

  it('ends a task in an unknown terminal-looking state with a typed FAILED outcome, not a crash', async () => {
    const { acts, saved } = activities(task('CANCELLED'));
    const outcome = await env.run(acts.fetchTask, { workflowId: 'wf', taskId: 'task-1' });
    expect(outcome).toMatchObject({ status: 'FAILED', transient: false, resultRef: 'ref-1', error: { code: 'CLORO_STATUS_CANCELLED' } });
    expect(saved).toEqual([
      expect.objectContaining({ status: 'FAILED', error: expect.objectContaining({ code: 'CLORO_STATUS_CANCELLED' }) }),
    ]);
  });

  it('refuses to adopt a task whose idempotency key is not the one expected, storing nothing', async () => {
    const { acts, saved } = activities(task('COMPLETED', 'someone-else'));
    await expect(env.run(acts.fetchTask, { workflowId: 'wf', taskId: 'task-1', expectedKey: 'key-1' })).resolves.toEqual({
      status: 'NOT_OURS',
      idempotencyKey: 'someone-else',
    });
    expect(saved).toEqual([]);
    const ours = activities(task('COMPLETED', 'key-1'));
    await expect(env.run(ours.acts.fetchTask, { workflowId: 'wf', taskId: 'task-1', expectedKey: 'key-1' })).resolves.toMatchObject({
      status: 'COMPLETED',
    });
  });
});
