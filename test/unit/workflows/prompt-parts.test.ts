import { PollSchedule } from '../../../workflows/poll-schedule';
import { PromptAttempts, resubmitKey } from '../../../workflows/prompt-attempts';
import { finalDetails, waitingDetails } from '../../../workflows/prompt-details';
import { Notifications } from '../../../workflows/prompt-notifications';
import { PromptRun } from '../../../workflows/prompt-run';
import { DEFAULT_PROMPT_TIMING } from '../../../workflows/tuning';

const newRun = (policy = { maxFailedResubmits: 1, maxOrphanResubmits: 0 }) =>
  new PromptRun('key-1', new PromptAttempts('key-1', policy), new Notifications());

describe('Notifications', () => {
  it('counts a webhook delivered twice once and finds its task by id and by key', () => {
    const n = new Notifications();
    expect(n.record({ taskId: 't1', idempotencyKey: 'k1' })).toBe(true);
    expect(n.record({ taskId: 't1', idempotencyKey: 'k1' })).toBe(false);
    expect(n.count).toBe(1);
    expect(n.hasTask('t1')).toBe(true);
    expect(n.taskForKey('k1')).toBe('t1');
    expect(n.taskForKey('other')).toBeNull();
  });

  it('forgets a stale wake-up so the same task can wake the workflow again', () => {
    const n = new Notifications();
    n.record({ taskId: 't1' });
    n.forget('t1');
    expect(n.hasTask('t1')).toBe(false);
    expect(n.record({ taskId: 't1' })).toBe(true);
    expect(n.count).toBe(2);
  });
});

describe('notifications from the bridge', () => {
  it('ignores a signal whose task id or key is longer than any real one, so it never reaches history again', () => {
    const run = newRun();
    expect(run.notified({ taskId: 'x'.repeat(900 * 1024) })).toBe('oversize');
    expect(run.notified({ taskId: 't1', idempotencyKey: 'k'.repeat(257) })).toBe('oversize');
    expect(run.notifications.count).toBe(0);
    expect(run.notified({ taskId: 't1', idempotencyKey: 'key-1' })).toBe('recorded');
    expect(run.notified({ taskId: 't1', idempotencyKey: 'key-1' })).toBe('duplicate');
  });

  it('drops the key of a task cloro says is not ours, and does not take it back from a repeated webhook', () => {
    const n = new Notifications();
    n.record({ taskId: 't1', idempotencyKey: 'k1' });
    n.disown('k1');
    expect(n.taskForKey('k1')).toBeNull();
    n.record({ taskId: 't1', idempotencyKey: 'k1' });
    expect(n.taskForKey('k1')).toBeNull();
    n.record({ taskId: 't2', idempotencyKey: 'k1' });
    expect(n.taskForKey('k1')).toBe('t2');
  });
});

describe('PollSchedule', () => {
  it('polls from 2 s growing by 1.5 to the one-minute cap', () => {
    const s = new PollSchedule(DEFAULT_PROMPT_TIMING, false);
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) {
      waits.push(s.next(Infinity));
      s.backOff();
    }
    expect(waits.slice(0, 4)).toEqual([2_000, 3_000, 4_500, 6_750]);
    expect(Math.max(...waits)).toBe(60_000);
    expect(waits.at(-1)).toBe(60_000);
  });

  it('with a webhook reads only as a safety net: 3 min growing to 20 min', () => {
    const s = new PollSchedule(DEFAULT_PROMPT_TIMING, true);
    expect(s.next(Infinity)).toBe(180_000);
    for (let i = 0; i < 10; i++) s.backOff();
    expect(s.next(Infinity)).toBe(1_200_000);
  });

  it('never waits past the deadline', () => {
    expect(new PollSchedule(DEFAULT_PROMPT_TIMING, true).next(5_000)).toBe(5_000);
  });
});

describe('PromptAttempts', () => {
  it('resubmits a transient FAILED task once by default, under <key>-r<n>', () => {
    const a = new PromptAttempts('k', { maxFailedResubmits: 1, maxOrphanResubmits: 0 });
    a.onCreate();
    expect(a.resubmitFailed(true, true)).toBe(true);
    expect(a.key).toBe('k-r1');
    a.onCreate();
    expect(a.resubmitFailed(true, true)).toBe(false);
    expect(a.key).toBe('k-r1');
  });

  it('never resubmits a permanent failure, nor after the deadline', () => {
    const a = new PromptAttempts('k', { maxFailedResubmits: 3, maxOrphanResubmits: 0 });
    a.onCreate();
    expect(a.resubmitFailed(false, true)).toBe(false);
    expect(a.resubmitFailed(true, false)).toBe(false);
    expect(a.key).toBe('k');
  });

  it('gives up on a lost create response by default (a resubmission may pay twice) and resubmits only within the bound', () => {
    const none = new PromptAttempts('k', { maxFailedResubmits: 1, maxOrphanResubmits: 0 });
    none.onCreate();
    none.onLostResponse();
    expect(none.resubmitOrphan()).toBe(false);

    const one = new PromptAttempts('k', { maxFailedResubmits: 1, maxOrphanResubmits: 1 });
    one.onCreate();
    one.onLostResponse();
    expect(one.resubmitOrphan()).toBe(true);
    expect(one.key).toBe(resubmitKey('k', 1));
    one.onCreate();
    one.onLostResponse();
    expect(one.resubmitOrphan()).toBe(false);
    expect(one.orphaned).toBe(2);
  });
});

describe('PromptRun', () => {
  it('summarises what happened: attempts, lost responses, when the task was accepted and seen to end', () => {
    const run = newRun();
    run.created(true, Date.parse('2026-01-01T00:00:00Z'));
    run.lostResponse();
    run.adopted('t1');
    run.ended(Date.parse('2026-01-01T00:00:05Z'));
    expect(run.summary('COMPLETED', { creditsCharged: 5 })).toMatchObject({
      idempotencyKey: 'key-1',
      taskId: 't1',
      status: 'COMPLETED',
      creditsCharged: 5,
      attempts: 1,
      orphaned: 1,
      createdAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:00:05.000Z',
    });
    expect(run.status).toMatchObject({ taskId: 't1', cloroStatus: 'QUEUED', delivery: 'webhook', attempts: 1, lastError: null });
  });

  it('forgets the end time of a task it resubmitted', () => {
    const run = newRun();
    run.created(false, 0);
    run.ended(1_000);
    run.created(false, 2_000);
    expect(run.summary('FAILED')).toMatchObject({ attempts: 2, finishedAt: null, createdAt: new Date(2_000).toISOString() });
  });

  it('counts each distinct webhook in its status and names a cancel without a reason', () => {
    const run = newRun();
    run.notified({ taskId: 't1' });
    run.notified({ taskId: 't1' });
    expect(run.status.notifications).toBe(1);
    run.cancel('');
    expect(run.cancelledSummary().error).toEqual({ code: 'CANCELLED', message: 'cancelled by request' });
  });

  it('reports a cloro status change once', () => {
    const run = newRun();
    run.adopted('t1');
    expect(run.cloroStatusIs('QUEUED')).toBe(false);
    expect(run.cloroStatusIs('PROCESSING')).toBe(true);
    expect(run.cloroStatusIs('PROCESSING')).toBe(false);
  });
});

describe('prompt details', () => {
  it('says when the next read is, as a clock time', () => {
    const text = waitingDetails({
      cloroStatus: 'QUEUED',
      webhook: true,
      nextReadAt: Date.parse('2026-01-01T10:11:12Z'),
      polls: 1,
      taskId: 't1',
    });
    expect(text).toBe('**QUEUED** at cloro · waiting for the webhook, safety read ≈ 10:11:12 UTC · 1 read so far · task t1');
  });

  it('sums up a completed prompt and a resubmitted failure at a glance', () => {
    const run = newRun();
    run.created(false, 0);
    expect(finalDetails(run.summary('COMPLETED', { model: 'gpt-5-mini', textLength: 327, sourcesCount: 6, creditsCharged: 5 }))).toBe(
      '**COMPLETED** · gpt-5-mini · 327 chars · 6 sources · 5 credits',
    );
    run.created(false, 1);
    run.lostResponse();
    expect(finalDetails(run.summary('FAILED', { error: { code: 'PROVIDER_ERROR', message: 'upstream' } }))).toBe(
      '**FAILED** · PROVIDER_ERROR: upstream · 2 cloro tasks · 1 lost create response',
    );
  });
});
