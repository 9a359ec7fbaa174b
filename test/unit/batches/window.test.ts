import { CreditGuard } from '../../../workflows/batch-credits';
import { BatchLedger } from '../../../workflows/batch-ledger';
import { SubmissionWindow } from '../../../workflows/batch-window';
import { failedPromptSummary, type PromptSummary } from '../../../workflows/definitions';

const tuning = { fallbackConcurrency: 10, queueBuffer: null, statusIntervalMs: 2_000 };
const completed = (credits: number): PromptSummary => ({ ...failedPromptSummary('k', { code: '', message: '' }), status: 'COMPLETED', error: null, creditsCharged: credits });

describe('SubmissionWindow', () => {
  it('fills free slots plus a buffer of max(2, 20%) when cloro is idle', () => {
    const w = new SubmissionWindow(tuning);
    w.observe({ queuedTasks: 0, processingTasks: 0, concurrencyMax: 10 }, 0);
    expect(w.buffer).toBe(2);
    expect(w.capacity(0)).toBe(12);
    w.submitted(12);
    expect(w.queueEstimate).toBe(2);
    expect(w.capacity(12)).toBe(0);
  });

  it('each of our prompts finishing opens one place', () => {
    const w = new SubmissionWindow(tuning);
    w.observe({ queuedTasks: 0, processingTasks: 0, concurrencyMax: 10 }, 0);
    w.submitted(12);
    w.finished();
    expect(w.capacity(11)).toBe(1);
  });

  it("holds back when other batches' tasks already fill cloro's slots and queue", () => {
    const w = new SubmissionWindow(tuning);
    w.observe({ queuedTasks: 2, processingTasks: 10, concurrencyMax: 10 }, 0);
    expect(w.capacity(0)).toBe(0);
    w.observe({ queuedTasks: 1, processingTasks: 10, concurrencyMax: 10 }, 2_000);
    expect(w.capacity(0)).toBe(1);
  });

  it('uses the configured concurrency while cloro reports none, and a larger plan gets a larger buffer', () => {
    const w = new SubmissionWindow({ ...tuning, fallbackConcurrency: 3 });
    w.observe({ queuedTasks: 0, processingTasks: 0, concurrencyMax: null }, 0);
    expect(w.capacity(0)).toBe(5);
    w.observe({ queuedTasks: 0, processingTasks: 0, concurrencyMax: 100 }, 0);
    expect(w.buffer).toBe(20);
  });

  it('goes stale after the status interval', () => {
    const w = new SubmissionWindow(tuning);
    expect(w.isStale(0)).toBe(true);
    w.observe({ queuedTasks: 0, processingTasks: 0, concurrencyMax: 10 }, 1_000);
    expect(w.isStale(2_999)).toBe(false);
    expect(w.msUntilStale(2_500)).toBe(500);
    expect(w.isStale(3_000)).toBe(true);
  });
});

describe('CreditGuard', () => {
  it('counts what is in flight at its estimate against the budget', () => {
    const g = new CreditGuard(20, 30_000);
    expect(g.check(5, { creditsCharged: 10, inFlightCredits: 5 })).toBeNull();
    expect(g.check(5, { creditsCharged: 10, inFlightCredits: 10 })).toBe('budget');
  });

  it("stops before cloro's balance would go negative, net of what was charged since the reading", () => {
    const g = new CreditGuard(null, 30_000);
    g.observe(20, { creditsCharged: 0, inFlightCredits: 0 }, 0);
    expect(g.check(5, { creditsCharged: 10, inFlightCredits: 5 })).toBeNull();
    expect(g.check(5, { creditsCharged: 10, inFlightCredits: 10 })).toBe('credits');
  });
});

describe('BatchLedger', () => {
  it('counts each child once, however often it reports', () => {
    const l = new BatchLedger('b', 3, undefined, '2026-01-01T00:00:00Z');
    l.launched('c1', 5);
    expect(l.record('c1', completed(5))).toBe(true);
    expect(l.record('c1', completed(5))).toBe(false);
    expect(l.record('stranger', completed(5))).toBe(false);
    expect(l.progress(Date.parse('2026-01-01T00:00:10Z'))).toMatchObject({ completed: 1, creditsCharged: 5, queued: 2, inFlight: 0, etaSeconds: 20 });
  });

  it('skips everything not yet taken when stopped, and carries its books across continue-as-new', () => {
    const l = new BatchLedger('b', 5, undefined, '2026-01-01T00:00:00Z');
    l.launched('c1', 5);
    l.launched('c2', 5);
    l.stop('budget');
    l.stop('cancelled');
    const next = new BatchLedger('b', 5, l.carry(), 'later');
    expect(next.progress(0)).toMatchObject({ skipped: 3, inFlight: 2, stopReason: 'budget', startedAt: '2026-01-01T00:00:00Z', done: false });
    expect(next.record('c2', completed(4))).toBe(true);
    expect(next.inFlightCredits).toBe(5);
  });

  it('stops on a credit refusal reported by a child', () => {
    const l = new BatchLedger('b', 2, undefined, 'now');
    l.launched('c1', 5);
    l.record('c1', failedPromptSummary('k', { code: 'CloroInsufficientCredits', message: 'no credits' }));
    expect(l.outOfCredits).toBe(true);
  });
});
