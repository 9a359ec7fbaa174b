/**
 * A run's analyses → its metrics, overall and per engine, country, tag and prompt. Only
 * analysable answers count; a cut whose answers all failed still appears, with 0 answers and
 * null rates, so a report can say so. Cuts are listed in sorted order of their value.
 */
import { wilson } from './stats';
import { METHODOLOGY_VERSION, type AnswerAnalysis, type Cut, type CutMetrics, type RunMetrics, type Tracked } from './types';

const TOP_DOMAINS = 10;

function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Metrics of one cut; `analyses` are the cut's answers, analysable or not. */
export function cutMetrics(cut: Cut, analyses: readonly AnswerAnalysis[], tracked: Tracked): CutMetrics {
  const counted = analyses.filter((a) => a.analysable !== false);
  const mentionsOf = (name: string) =>
    counted.filter((a) => [a.brand, ...a.competitors].some((m) => m.brand === name && m.mentioned)).length;
  const voices = [tracked.brand, ...tracked.competitors].map((b) => ({ brand: b.name, mentions: mentionsOf(b.name) }));
  const allMentions = voices.reduce((sum, v) => sum + v.mentions, 0);

  const domainAnswers = new Map<string, number>();
  for (const a of counted) for (const d of new Set(a.citedDomains)) domainAnswers.set(d, (domainAnswers.get(d) ?? 0) + 1);
  const topDomains = [...domainAnswers]
    .map(([domain, answers]) => ({ domain, answers }))
    .sort((x, y) => y.answers - x.answers || (x.domain < y.domain ? -1 : 1))
    .slice(0, TOP_DOMAINS);

  return {
    cut,
    answers: counted.length,
    mentionRate: wilson(counted.filter((a) => a.brand.mentioned).length, counted.length),
    shareOfVoice: voices.map((v) => ({ ...v, share: allMentions === 0 ? null : v.mentions / allMentions })),
    averagePosition: mean(counted.flatMap((a) => (a.brand.mentioned && a.brand.rank !== null ? [a.brand.rank] : []))),
    citationShare: wilson(counted.filter((a) => a.brand.cited).length, counted.length),
    topDomains,
  };
}

/** The values an answer has for each kind of cut (an answer is in every one of its tags' cuts). */
const CUT_VALUES: Readonly<Record<keyof Cut, (a: AnswerAnalysis) => readonly string[]>> = {
  engine: (a) => [a.engine],
  country: (a) => [a.country],
  tag: (a) => a.tags,
  promptId: (a) => [a.promptId],
};

/** One CutMetrics per distinct value of `field` among the answers. */
function cutsBy(analyses: readonly AnswerAnalysis[], tracked: Tracked, field: keyof Cut): CutMetrics[] {
  const groups = new Map<string, AnswerAnalysis[]>();
  for (const a of analyses) {
    for (const key of new Set(CUT_VALUES[field](a))) {
      const group = groups.get(key);
      if (group) group.push(a);
      else groups.set(key, [a]);
    }
  }
  return [...groups.keys()].sort().map((key) => cutMetrics({ [field]: key }, groups.get(key) ?? [], tracked));
}

export function runMetrics(analyses: readonly AnswerAnalysis[], tracked: Tracked, run: { runId: string; runAt: string }): RunMetrics {
  return {
    runId: run.runId,
    runAt: run.runAt,
    methodologyVersion: METHODOLOGY_VERSION,
    overall: cutMetrics({}, analyses, tracked),
    byEngine: cutsBy(analyses, tracked, 'engine'),
    byCountry: cutsBy(analyses, tracked, 'country'),
    byTag: cutsBy(analyses, tracked, 'tag'),
    byPrompt: cutsBy(analyses, tracked, 'promptId'),
  };
}
