/**
 * Two runs → what changed. A rate change is called real only when the pooled two-proportion
 * z-test gives p < 0.05; everything else is 'no real change', however large the raw delta.
 */
import { twoProportionZTest } from './stats';
import type { Change, Cut, CutMetrics, Proportion, RunComparison, RunMetrics } from './types';

export const SIGNIFICANCE_LEVEL = 0.05;

/** A stable key for a cut, whatever order its fields were written in. */
function cutKey(cut: Cut): string {
  return JSON.stringify([cut.engine ?? null, cut.country ?? null, cut.tag ?? null, cut.promptId ?? null]);
}

function allCuts(run: RunMetrics): CutMetrics[] {
  return [run.overall, ...run.byEngine, ...run.byCountry, ...run.byTag, ...run.byPrompt];
}

export function compareProportions(metric: Change['metric'], cut: Cut, previous: Proportion, current: Proportion): Change {
  const delta = previous.rate === null || current.rate === null ? null : current.rate - previous.rate;
  const test = twoProportionZTest(previous, current);
  const pValue = test?.pValue ?? null;
  const significant = pValue !== null && pValue < SIGNIFICANCE_LEVEL && delta !== null && delta !== 0;
  const verdict = !significant ? 'no real change' : (delta ?? 0) > 0 ? 'up' : 'down';
  return { metric, cut, previous, current, delta, pValue, significant, verdict };
}

/** Items of `a` not in `b`, in `a`'s order. */
function missingFrom(a: readonly string[], b: readonly string[]): string[] {
  const other = new Set(b);
  return a.filter((x) => !other.has(x));
}

/** Competitors named at least once in the run (share of voice lists the brand first). */
function namedCompetitors(run: RunMetrics): string[] {
  return run.overall.shareOfVoice.slice(1).flatMap((v) => (v.mentions > 0 ? [v.brand] : []));
}

export function compareRuns(previous: RunMetrics, current: RunMetrics): RunComparison {
  const before = new Map(allCuts(previous).map((c) => [cutKey(c.cut), c]));
  const changes = allCuts(current).flatMap((now) => {
    const then = before.get(cutKey(now.cut));
    if (!then) return [];
    return [
      compareProportions('mentionRate', now.cut, then.mentionRate, now.mentionRate),
      compareProportions('citationShare', now.cut, then.citationShare, now.citationShare),
    ];
  });
  const competitorsThen = namedCompetitors(previous);
  const competitorsNow = namedCompetitors(current);
  const domainsThen = previous.overall.topDomains.map((d) => d.domain);
  const domainsNow = current.overall.topDomains.map((d) => d.domain);
  return {
    previousRunId: previous.runId,
    currentRunId: current.runId,
    changes,
    competitorChurn: { added: missingFrom(competitorsNow, competitorsThen), removed: missingFrom(competitorsThen, competitorsNow) },
    domainChurn: { added: missingFrom(domainsNow, domainsThen), removed: missingFrom(domainsThen, domainsNow) },
  };
}
