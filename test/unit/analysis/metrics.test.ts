import { compareRuns } from '../../../src/analysis/compare';
import { runMetrics } from '../../../src/analysis/metrics';
import { wilson } from '../../../src/analysis/stats';
import type { AnswerAnalysis, BrandMention, CutMetrics, Tracked } from '../../../src/analysis/types';

const tracked: Tracked = {
  brand: { name: 'Acme', aliases: [], domains: ['acme.com'] },
  competitors: [
    { name: 'Globex', aliases: [], domains: [] },
    { name: 'Initech', aliases: [], domains: [] },
  ],
};

interface Spec {
  engine?: string;
  country?: string;
  tags?: string[];
  promptId?: string;
  /** Rank of each brand named, by name. */
  ranks?: Record<string, number>;
  cited?: boolean;
  domains?: string[];
  analysable?: boolean;
}

let sample = 0;
function analysis(spec: Spec, runId = 'run-1'): AnswerAnalysis {
  const mention = (name: string, cited = false): BrandMention => {
    const rank = spec.ranks?.[name] ?? null;
    return {
      brand: name,
      mentioned: rank !== null,
      count: rank === null ? 0 : 1,
      firstOffset: rank === null ? null : rank * 10,
      rank,
      cited,
    };
  };
  return {
    workflowId: `wf-${++sample}`,
    runId,
    engine: spec.engine ?? 'CHATGPT',
    country: spec.country ?? 'US',
    promptId: spec.promptId ?? 'p1',
    tags: spec.tags ?? [],
    sample: 1,
    brand: mention('Acme', spec.cited ?? false),
    competitors: [mention('Globex'), mention('Initech')],
    citedDomains: spec.domains ?? [],
    analysable: spec.analysable ?? true,
    methodologyVersion: 1,
  };
}

// Hand-computed expectations for this set are written next to each assertion.
const answers = [
  analysis({
    engine: 'CHATGPT',
    country: 'US',
    tags: ['x'],
    promptId: 'p1',
    ranks: { Acme: 1, Globex: 2 },
    cited: true,
    domains: ['acme.com', 'g2.com'],
  }),
  analysis({ engine: 'CHATGPT', country: 'US', tags: ['x', 'y'], promptId: 'p2', ranks: { Globex: 1 }, domains: ['g2.com'] }),
  analysis({
    engine: 'GEMINI',
    country: 'DE',
    tags: ['y'],
    promptId: 'p1',
    ranks: { Initech: 1, Acme: 2 },
    cited: true,
    domains: ['acme.com', 'wiki.org'],
  }),
  analysis({ engine: 'GEMINI', country: 'DE', tags: [], promptId: 'p2' }),
  analysis({ engine: 'GEMINI', country: 'US', tags: ['x'], promptId: 'p1', analysable: false }),
  analysis({ engine: 'GROK', country: 'US', tags: [], promptId: 'p1', analysable: false }),
];
const metrics = runMetrics(answers, tracked, { runId: 'run-1', runAt: '2025-06-01T00:00:00.000Z' });
const shares = (c: CutMetrics | undefined) => c?.shareOfVoice.map((v) => [v.brand, v.mentions, v.share]);

describe('runMetrics', () => {
  it('summarises the whole run over analysable answers only', () => {
    const o = metrics.overall;
    expect(o.cut).toEqual({});
    expect(o.answers).toBe(4); // two of the six did not complete
    expect(o.mentionRate).toEqual(wilson(2, 4)); // answers 1 and 3 name Acme
    expect(o.citationShare).toEqual(wilson(2, 4)); // answers 1 and 3 cite acme.com
    // Acme in 2 answers, Globex in 2, Initech in 1: 5 answer-mentions in all.
    expect(shares(o)).toEqual([
      ['Acme', 2, 0.4],
      ['Globex', 2, 0.4],
      ['Initech', 1, 0.2],
    ]);
    expect(o.averagePosition).toBe(1.5); // ranks 1 and 2
    expect(o.topDomains).toEqual([
      { domain: 'acme.com', answers: 2 },
      { domain: 'g2.com', answers: 2 },
      { domain: 'wiki.org', answers: 1 },
    ]);
  });

  it('cuts by engine, country, tag and prompt, in sorted order', () => {
    expect(metrics.byEngine.map((c) => [c.cut.engine, c.answers, c.mentionRate.successes, c.averagePosition])).toEqual([
      ['CHATGPT', 2, 1, 1],
      ['GEMINI', 2, 1, 2],
      ['GROK', 0, 0, null],
    ]);
    expect(shares(metrics.byEngine[0])).toEqual([
      ['Acme', 1, 1 / 3],
      ['Globex', 2, 2 / 3],
      ['Initech', 0, 0],
    ]);
    expect(metrics.byCountry.map((c) => [c.cut.country, c.answers, c.mentionRate.successes])).toEqual([
      ['DE', 2, 1],
      ['US', 2, 1],
    ]);
    // An answer with two tags counts in both; one with none in neither.
    expect(metrics.byTag.map((c) => [c.cut.tag, c.answers, c.mentionRate.successes])).toEqual([
      ['x', 2, 1],
      ['y', 2, 1],
    ]);
    expect(metrics.byPrompt.map((c) => [c.cut.promptId, c.answers, c.mentionRate.successes, c.averagePosition])).toEqual([
      ['p1', 2, 2, 1.5],
      ['p2', 2, 0, null],
    ]);
  });

  it('keeps a cut whose answers all failed, with no rates', () => {
    const grok = metrics.byEngine.find((c) => c.cut.engine === 'GROK');
    expect(grok?.mentionRate).toEqual({ successes: 0, trials: 0, rate: null, low: null, high: null });
    expect(grok?.shareOfVoice.every((v) => v.share === null)).toBe(true);
    expect(grok?.topDomains).toEqual([]);
  });

  it('lists at most ten domains, most cited first, ties by name', () => {
    const many = Array.from({ length: 12 }, (_, i) => analysis({ domains: [`d${String(i).padStart(2, '0')}.com`, 'top.com'] }));
    const top = runMetrics(many, tracked, { runId: 'r', runAt: 't' }).overall.topDomains;
    expect(top).toHaveLength(10);
    expect(top[0]).toEqual({ domain: 'top.com', answers: 12 });
    expect(top[1]?.domain).toBe('d00.com');
  });

  it('stamps the run and the methodology version', () => {
    expect([metrics.runId, metrics.runAt, metrics.methodologyVersion]).toEqual(['run-1', '2025-06-01T00:00:00.000Z', 1]);
  });
});

/** `n` answers in `engine`, the first `named` naming Acme (and Globex or Initech), the first `cited` citing it. */
function batch(
  runId: string,
  engine: string,
  n: number,
  named: number,
  cited: number,
  competitor: string,
  domain: string,
): AnswerAnalysis[] {
  return Array.from({ length: n }, (_, i) =>
    analysis({ engine, ranks: i < named ? { Acme: 1, [competitor]: 2 } : {}, cited: i < cited, domains: [domain] }, runId),
  );
}

describe('compareRuns', () => {
  const previous = runMetrics(
    [...batch('r1', 'CHATGPT', 50, 10, 25, 'Globex', 'old.com'), ...batch('r1', 'GEMINI', 50, 20, 5, 'Globex', 'acme.com')],
    tracked,
    { runId: 'r1', runAt: '2025-06-01T00:00:00.000Z' },
  );
  const current = runMetrics(
    [
      ...batch('r2', 'CHATGPT', 50, 30, 25, 'Initech', 'new.com'),
      ...batch('r2', 'GEMINI', 50, 22, 5, 'Initech', 'acme.com'),
      ...batch('r2', 'GROK', 5, 5, 0, 'Initech', 'acme.com'),
    ],
    tracked,
    { runId: 'r2', runAt: '2025-06-08T00:00:00.000Z' },
  );
  const comparison = compareRuns(previous, current);
  const change = (metric: string, engine?: string) =>
    comparison.changes.find((c) => c.metric === metric && c.cut.engine === engine && !c.cut.country);

  it('flags a big change: 10/50 → 30/50 is up (z ≈ 4.08, p < 0.001)', () => {
    const c = change('mentionRate', 'CHATGPT');
    expect(c?.delta).toBeCloseTo(0.4, 10);
    expect(c?.pValue).toBeLessThan(0.001);
    expect([c?.significant, c?.verdict]).toEqual([true, 'up']);
  });

  it('calls a small change no real change: 20/50 → 22/50 (p ≈ 0.685)', () => {
    const c = change('mentionRate', 'GEMINI');
    expect(c?.delta).toBeCloseTo(0.04, 10);
    expect(c?.pValue).toBeCloseTo(0.6853, 3);
    expect([c?.significant, c?.verdict]).toEqual([false, 'no real change']);
  });

  it('compares citation share too, and an unchanged rate is no change', () => {
    const c = change('citationShare', 'CHATGPT');
    expect([c?.delta, c?.pValue, c?.verdict]).toEqual([0, 1, 'no real change']);
  });

  it('compares only cuts present in both runs', () => {
    expect(change('mentionRate', 'GROK')).toBeUndefined();
    expect(change('mentionRate', undefined)?.cut).toEqual({});
    expect(comparison.changes).toHaveLength(2 * (1 + 2 + 1 + 0 + 1)); // overall, two engines, US, no tags, p1
  });

  it('reports competitors and top domains that came and went', () => {
    expect(comparison.competitorChurn).toEqual({ added: ['Initech'], removed: ['Globex'] });
    expect(comparison.domainChurn).toEqual({ added: ['new.com'], removed: ['old.com'] });
    expect([comparison.previousRunId, comparison.currentRunId]).toEqual(['r1', 'r2']);
  });
});
