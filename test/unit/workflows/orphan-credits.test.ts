import { CreditGuard } from '../../../workflows/batch-credits';
import { BatchLedger } from '../../../workflows/batch-ledger';
import type { PromptSummary } from '../../../workflows/definitions';
import { PromptAttempts } from '../../../workflows/prompt-attempts';
import { finalDetails } from '../../../workflows/prompt-details';
import { Notifications } from '../../../workflows/prompt-notifications';
import { PromptRun } from '../../../workflows/prompt-run';

function orphanedRun(): PromptRun {
  const run = new PromptRun('key-1', new PromptAttempts('key-1', { maxFailedResubmits: 1, maxOrphanResubmits: 0 }), new Notifications());
  run.created(true, 0);
  run.lostResponse();
  return run;
}

describe('credits of an orphaned prompt', () => {
  it('reports the price of the task whose id was lost as estimated credits, not 0', () => {
    const summary = orphanedRun().orphanedSummary(5);
    expect(summary).toMatchObject({ status: 'ORPHANED', creditsCharged: 5, creditsEstimated: true, orphaned: 1 });
    expect(finalDetails(summary)).toContain('~5 credits estimated');
  });

  it('reports 0 and no estimate when no price is known (inputs of prompts started before estimates)', () => {
    const summary = orphanedRun().orphanedSummary(undefined);
    expect(summary.creditsCharged).toBe(0);
    expect(summary.creditsEstimated).toBeUndefined();
  });

  it('adds the price of a lost task to the outcome of the task resubmitted after it (cloro billed both)', () => {
    const attempts = new PromptAttempts('key-1', { maxFailedResubmits: 1, maxOrphanResubmits: 1 });
    const run = new PromptRun('key-1', attempts, new Notifications(), 5);
    run.created(true, 0);
    run.lostResponse();
    expect(attempts.resubmitOrphan()).toBe(true);
    run.created(true, 0);
    expect(run.summary('COMPLETED', { creditsCharged: 5 })).toMatchObject({
      creditsCharged: 10,
      creditsEstimated: true,
      attempts: 2,
      orphaned: 1,
    });
  });

  it('adds nothing when the task of a lost create was adopted after all (one task, billed once)', () => {
    const run = new PromptRun(
      'key-1',
      new PromptAttempts('key-1', { maxFailedResubmits: 1, maxOrphanResubmits: 1 }),
      new Notifications(),
      5,
    );
    run.created(true, 0);
    run.lostResponse();
    run.adopted('task-named-by-the-webhook');
    const summary = run.summary('COMPLETED', { creditsCharged: 5 });
    expect(summary).toMatchObject({ creditsCharged: 5, attempts: 1, orphaned: 1 });
    expect(summary.creditsEstimated).toBeUndefined();
  });

  it('counts an orphan estimate in the batch totals and against its budget', () => {
    const ledger = new BatchLedger('b1', 3, undefined, '2026-01-01T00:00:00Z');
    ledger.launched('p1', 5, 0);
    ledger.launched('p2', 5, 0);
    const orphan: PromptSummary = { ...orphanedRun().orphanedSummary(5) };
    ledger.record('p1', orphan);
    expect(ledger.counters).toMatchObject({ orphaned: 1, creditsCharged: 5, creditsEstimated: 5 });
    // Budget 14: 5 estimated for the orphan + 5 in flight + 5 for the next is over it.
    expect(new CreditGuard(14, 60_000).check(5, ledger)).toBe('budget');
    expect(new CreditGuard(15, 60_000).check(5, ledger)).toBeNull();
  });
});
