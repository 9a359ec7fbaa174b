import { setTimeout as sleep } from 'node:timers/promises';
import { DefaultLogger } from '@temporalio/worker';
import { MockActivityEnvironment } from '@temporalio/testing';
import { withHeartbeats } from '../../../activities/heartbeats';

/**
 * Runs `fn` as an activity under the given heartbeat timeout; returns what it returned (or
 * threw), the beats it sent while running, and the beats sent in the 100 ms after it ended.
 */
async function beatsOf(fn: () => Promise<string>, heartbeatTimeoutMs: number | undefined) {
  // The mock environment logs a failed activity; the failing case below is deliberate.
  const env = new MockActivityEnvironment({ heartbeatTimeoutMs }, { logger: new DefaultLogger('ERROR', () => undefined) });
  let beats = 0;
  env.on('heartbeat', () => beats++);
  const { activity } = withHeartbeats({ activity: fn });
  const outcome: { value?: unknown; error?: unknown } = await env.run(activity).then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  const atEnd = beats;
  await sleep(100);
  return { ...outcome, atEnd, later: beats - atEnd };
}

async function slowly<T>(ms: number, then: () => T): Promise<T> {
  await sleep(ms);
  return then();
}

describe('withHeartbeats', () => {
  it('beats at a quarter of the heartbeat timeout while a slow activity runs, and stops when it ends', async () => {
    const run = await beatsOf(() => slowly(300, () => 'done'), 40);
    expect(run).toMatchObject({ value: 'done', later: 0 });
    // Every 10 ms for 300 ms: far more than two even on a loaded machine.
    expect(run.atEnd).toBeGreaterThanOrEqual(2);
  });

  it('sends nothing for an activity that ends before the first beat is due', async () => {
    expect(await beatsOf(async () => 'quick', 60_000)).toEqual({ value: 'quick', atEnd: 0, later: 0 });
  });

  it('sends nothing when the proxy set no heartbeat timeout', async () => {
    expect(await beatsOf(() => slowly(100, () => 'done'), undefined)).toEqual({ value: 'done', atEnd: 0, later: 0 });
  });

  it('stops beating when the activity fails, and passes its error through unchanged', async () => {
    const failure = new Error('cloro said no');
    const run = await beatsOf(
      () =>
        slowly(100, () => {
          throw failure;
        }),
      40,
    );
    expect(run.error).toBe(failure);
    expect(run.atEnd).toBeGreaterThanOrEqual(1);
    expect(run.later).toBe(0);
  });
});
