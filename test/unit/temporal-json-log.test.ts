import { jsonLogLine } from '../../src/temporal/json-log';

describe('jsonLogLine', () => {
  it('writes one JSON object with the workflow and task ids as top-level fields', () => {
    const line = jsonLogLine({
      level: 'WARN',
      message: 'the answer could not be stored; the workflow retries the write',
      timestampNanos: 1_764_000_000_123_456_789n,
      meta: { workflowId: 'cloro-prompt-abc', taskId: 'task-1', activityType: 'fetchTask', attempt: 2n },
    });
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toEqual({
      time: '2025-11-24T16:00:00.123Z',
      level: 'warn',
      msg: 'the answer could not be stored; the workflow retries the write',
      workflowId: 'cloro-prompt-abc',
      taskId: 'task-1',
      activityType: 'fetchTask',
      attempt: '2',
    });
  });

  it('keeps attributes named like its own fields under meta, and errors readable', () => {
    const parsed = JSON.parse(
      jsonLogLine({ level: 'ERROR', message: 'failed', timestampNanos: 0n, meta: { msg: 'inner', error: new TypeError('boom') } }),
    ) as Record<string, unknown>;
    expect(parsed.msg).toBe('failed');
    expect(parsed.meta).toEqual({ msg: 'inner' });
    expect(parsed.error).toMatchObject({ name: 'TypeError', message: 'boom' });
  });
});
