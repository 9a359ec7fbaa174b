import type { AnswerAnalysis } from '../../../src/analysis';
import { moreSamples } from '../../../src/monitors/auto-sampling';
import { type Monitor, validateMonitor } from '../../../src/monitors/definition';
import type { PromptRecord } from '../../../src/store/record';
import { combineRounds } from '../../../workflows/monitor-rounds';
import type { BatchProgress } from '../../../workflows/definitions';

function monitor(samples: unknown, autoSampling?: unknown): Monitor {
  const parsed = validateMonitor({
    id: 'auto',
    brand: { name: 'HubSpot' },
    prompts: ['Best CRM?'],
    engines: ['CHATGPT', 'PERPLEXITY'],
    countries: ['US'],
    samples,
    ...(autoSampling ? { autoSampling } : {}),
    cadence: { every: '1d' },
    budgetPerRun: 1000,
  });
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.monitor;
}

/** `n` stored answers of one cell, the first `mentioned` of them naming the brand. */
function answers(m: Monitor, engine: string, n: number, mentioned: number) {
  const promptId = m.prompts[0]!.id;
  const records = Array.from(
    { length: n },
    (_, i) => ({ taskType: engine, country: 'US', labels: { promptId, sample: String(i + 1) } }) as unknown as PromptRecord,
  );
  const analyses = Array.from(
    { length: n },
    (_, i) => ({ promptId, engine, country: 'US', sample: i + 1, brand: { mentioned: i < mentioned } }) as unknown as AnswerAnalysis,
  );
  return { records, analyses };
}

describe('samples: auto', () => {
  const m = monitor('auto', { targetHalfWidth: 0.3, maxSamples: 6 });

  it('asks one more sample of a cell whose interval is still wider than the target, numbered after the last', () => {
    const chatgpt = answers(m, 'CHATGPT', 2, 1); // 1/2: the interval spans most of [0, 1]
    const perplexity = answers(m, 'PERPLEXITY', 2, 1);
    const next = moreSamples(m, [...chatgpt.records, ...perplexity.records], [...chatgpt.analyses, ...perplexity.analyses]);
    expect(next.map((c) => [c.engine, c.sample])).toEqual([
      ['CHATGPT', 3],
      ['PERPLEXITY', 3],
    ]);
  });

  it('stops a cell at maxSamples, and one whose interval is narrow enough', () => {
    const capped = answers(m, 'CHATGPT', 6, 3); // 3/6: still wide, but at the cap
    expect(moreSamples(m, capped.records, capped.analyses)).toEqual([expect.objectContaining({ engine: 'PERPLEXITY', sample: 1 })]);
    const lenient = monitor('auto', { targetHalfWidth: 0.45, maxSamples: 20 });
    const narrow = answers(lenient, 'PERPLEXITY', 6, 6); // 6/6: [0.61, 1], ±0.2
    expect(moreSamples(lenient, narrow.records, narrow.analyses)).toEqual([expect.objectContaining({ engine: 'CHATGPT', sample: 1 })]);
  });

  it('asks nothing more of a monitor with a fixed number of samples', () => {
    const fixed = monitor(3);
    const a = answers(fixed, 'CHATGPT', 3, 1);
    expect(moreSamples(fixed, a.records, a.analyses)).toEqual([]);
  });

  it('reports its rounds as one batch: counts add up, the last round says how it ended', () => {
    const round = (over: Partial<BatchProgress>): BatchProgress =>
      ({
        total: 4,
        finished: 4,
        completed: 4,
        failed: 0,
        expired: 0,
        cancelled: 0,
        orphaned: 0,
        unstored: 0,
        skipped: 0,
        creditsCharged: 20,
        stopReason: null,
        startedAt: 'first',
        ...over,
      }) as BatchProgress;
    const both = combineRounds(
      round({}),
      round({ total: 2, finished: 1, completed: 1, skipped: 1, creditsCharged: 5, stopReason: 'budget', startedAt: 'second' }),
    );
    expect(both).toMatchObject({
      total: 6,
      finished: 5,
      completed: 5,
      skipped: 1,
      creditsCharged: 25,
      stopReason: 'budget',
      startedAt: 'first',
    });
  });
});
