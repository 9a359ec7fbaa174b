import { CreditGuard } from '../../../workflows/batch-credits';
import { BatchLedger } from '../../../workflows/batch-ledger';
import { SubmissionWindow } from '../../../workflows/batch-window';
import type { PromptSummary } from '../../../workflows/definitions';
import { failedPromptSummary } from '../../../workflows/prompt-summary';

const tuning = { fallbackConcurrency: 10, queueBuffer: null, statusIntervalMs: 2_000 };
const completed = (credits: number): PromptSummary => ({
  ...failedPromptSummary('k', { code: '', message: '' }),
  status: 'COMPLETED',
  error: null,
  creditsCharged: credits,
});

const at = (ms: number) => new Date(ms).toISOString();
const reading = (queuedTasks: number, processingTasks: number, concurrencyMax: number | null = 10) => ({
  queuedTasks,
  processingTasks,
  concurrencyMax,
});
/**
 * A window that has seen an idle cloro and then 30 reports, one every 250 ms, each `lagMs`
 * after its task ended and 100 ms to land: with the default lag, a 300 ms round trip.
 */
function steadyWindow(lagMs = 200, windowTuning: ConstructorParameters<typeof SubmissionWindow>[0] = tuning): SubmissionWindow {
  const w = new SubmissionWindow(windowTuning);
  w.observe(reading(0, 0), 0, 0);
  for (let t = 250; t <= 7_500; t += 250) w.finished(t, t - 3_000, { createdAt: at(t - 2_900), finishedAt: at(t - lagMs) });
  return w;
}

describe('SubmissionWindow', () => {
  it('fills free slots plus a buffer of max(2, 20%) when cloro is idle', () => {
    const w = new SubmissionWindow(tuning);
    w.observe(reading(0, 0), 0, 0);
    expect(w.buffer).toBe(2);
    expect(w.capacity(0)).toBe(12);
    expect(w.queueEstimate(12)).toBe(2);
    expect(w.capacity(12)).toBe(0);
    expect(w.capacity(11)).toBe(1);
  });

  it("holds back when other batches' tasks already fill cloro's slots and queue", () => {
    const w = new SubmissionWindow(tuning);
    w.observe(reading(2, 10), 0, 0);
    expect(w.capacity(0)).toBe(0);
    w.observe(reading(1, 10), 0, 2_000);
    expect(w.capacity(0)).toBe(1);
  });

  it('counts launches a reading was taken too early to show, until tasks flow', () => {
    const w = new SubmissionWindow(tuning);
    // 12 started, none created yet: cloro shows nothing, the window still counts all 12.
    w.observe(reading(0, 0), 12, 0);
    expect(w.capacity(12)).toBe(0);
    expect(w.figures(12)).toEqual({ concurrencyMax: 10, buffer: 2, pipeline: 0, roundTripMs: null });
  });

  it('grows the default buffer to cover twice the completions expected during our round trip; an explicit one stays', () => {
    const w = steadyWindow();
    // 2 × 300 ms ÷ 250 ms = 2.4 → 3
    expect(w.figures(0)).toMatchObject({ buffer: 3, roundTripMs: 300 });
    const fixed = steadyWindow(200, { ...tuning, queueBuffer: 2 });
    expect(fixed.buffer).toBe(2);
    // A very slow side of ours never asks for more than a plan's worth of queue.
    const slow = steadyWindow(60_000);
    expect(slow.buffer).toBe(10);
  });

  it('lets the prompts cloro does not show (creating, or ended and not yet reported) be in flight on top', () => {
    const w = steadyWindow();
    // 12 in flight, cloro shows 8 of them: 4 in transit must not hold places a freed slot needs,
    // but no more than the buffer (3) is counted on, so at most 2 × 3 can ever wait at cloro.
    w.observe(reading(0, 8), 12, 8_000);
    expect(w.figures(12).pipeline).toBe(3);
    expect(w.capacity(12)).toBe(10 + 3 + 3 - 12);
    expect(w.queueEstimate(16)).toBe(3);
    expect(w.capacity(16)).toBe(0);
    // Smoothed, and rounded down: one reading that shows no transit moves it part of the way (4 → 2.8 → 2).
    w.observe(reading(2, 10), 12, 10_000);
    expect(w.figures(12).pipeline).toBe(2);
  });

  it("reads other batches' tasks as theirs, never as a larger pipeline of ours", () => {
    const w = steadyWindow();
    // 14 unfinished with our 12 in flight: at least 2 are someone else's.
    w.observe(reading(4, 10), 12, 8_000);
    expect(w.figures(12).pipeline).toBe(0);
    expect(w.capacity(12)).toBe(0);
    expect(w.capacity(8)).toBe(10 + 3 - 8 - 2);
  });

  it('never assumes a pipeline larger than the buffer or than what is in flight', () => {
    const w = steadyWindow();
    w.observe(reading(0, 0), 30, 8_000);
    expect(w.ownRoom(30)).toBe(0);
    expect(w.figures(2).pipeline).toBe(2);
    expect(w.figures(30).pipeline).toBe(3);
  });

  it('hands its measurements to the next run, which starts with the same buffer and pipeline', () => {
    const w = steadyWindow();
    w.observe(reading(0, 8), 12, 8_000);
    const next = new SubmissionWindow(tuning, w.carry());
    next.observe(reading(0, 8), 12, 0);
    expect(next.figures(12)).toEqual(w.figures(12));
  });

  it('uses the configured concurrency while cloro reports none, and a larger plan gets a larger buffer', () => {
    const w = new SubmissionWindow({ ...tuning, fallbackConcurrency: 3 });
    w.observe(reading(0, 0, null), 0, 0);
    expect(w.capacity(0)).toBe(5);
    w.observe(reading(0, 0, 100), 0, 0);
    expect(w.buffer).toBe(20);
  });

  it('goes stale after the status interval', () => {
    const w = new SubmissionWindow(tuning);
    expect(w.isStale(0)).toBe(true);
    w.observe(reading(0, 0), 0, 1_000);
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
    l.launched('c1', 5, 1_000);
    expect(l.record('c1', completed(5))).toEqual({ credits: 5, launchedAt: 1_000 });
    expect(l.record('c1', completed(5))).toBeUndefined();
    expect(l.record('stranger', completed(5))).toBeUndefined();
    expect(l.progress(Date.parse('2026-01-01T00:00:10Z'))).toMatchObject({
      completed: 1,
      creditsCharged: 5,
      queued: 2,
      inFlight: 0,
      etaSeconds: 20,
    });
  });

  it('skips everything not yet taken when stopped, and carries its books across continue-as-new', () => {
    const l = new BatchLedger('b', 5, undefined, '2026-01-01T00:00:00Z');
    l.launched('c1', 5, 0);
    l.launched('c2', 5, 0);
    l.stop('budget');
    l.stop('cancelled');
    const next = new BatchLedger('b', 5, l.carry(), 'later');
    expect(next.progress(0)).toMatchObject({
      skipped: 3,
      inFlight: 2,
      stopReason: 'budget',
      startedAt: '2026-01-01T00:00:00Z',
      done: false,
    });
    expect(next.record('c2', completed(4))).toBeDefined();
    expect(next.inFlightCredits).toBe(5);
  });

  it('counts an item someone else is already running as skipped, once', () => {
    const l = new BatchLedger('b', 2, undefined, 'now');
    l.launched('c1', 5, 0);
    l.runsElsewhere('c1');
    l.runsElsewhere('c1');
    expect(l.record('c1', completed(5))).toBeUndefined();
    expect(l.progress(0)).toMatchObject({ skipped: 1, inFlight: 0, completed: 0 });
  });

  it('stops on a credit refusal reported by a child', () => {
    const l = new BatchLedger('b', 2, undefined, 'now');
    l.launched('c1', 5, 0);
    l.record('c1', failedPromptSummary('k', { code: 'CloroInsufficientCredits', message: 'no credits' }));
    expect(l.outOfCredits).toBe(true);
  });
});
