/**
 * What a report says, once for every format: the latest run's summary per engine and per
 * country, its changes against the previous run, share of voice, top cited domains and churn.
 * Markdown and HTML only lay this outline out.
 */
import type { Change, CutMetrics, RunMetrics } from '../analysis/types';
import { cutLabel, NOT_AVAILABLE, percent, positionText, proportionText, sameCut, verdictText } from './format';
import type { Cell, ReportInput, ReportOutline, Section } from './types';

export function outline(input: ReportInput): ReportOutline {
  const { monitor, runs, comparison } = input;
  const latest = runs.at(-1);
  const lead = [
    `Monitor ${monitor.id}: ${monitor.brand} against ${listOrNone(monitor.competitors)}; engines ${listOrNone(monitor.engines)}; countries ${listOrNone(monitor.countries)}.`,
  ];
  if (latest) {
    lead.push(
      comparison
        ? `Latest run ${latest.runId} (${latest.runAt}), compared with run ${comparison.previousRunId}; ${runs.length} runs in all.`
        : `Latest run ${latest.runId} (${latest.runAt}); no earlier run to compare with.`,
    );
  }
  lead.push(`Generated ${input.generatedAt}.`);
  const title = `${monitor.brand}: brand monitoring report`;
  if (!latest) return { title, lead, sections: [{ id: 'summary', heading: 'Latest run', notes: ['No runs yet.'] }] };
  return {
    title,
    lead,
    sections: [
      summary(latest, comparison?.changes ?? []),
      changes(comparison?.changes ?? [], comparison !== null),
      shareOfVoice(latest),
      topDomains(latest),
      churn(input),
    ],
  };
}

function summary(run: RunMetrics, changes: Change[]): Section {
  const rows = [run.overall, ...run.byEngine, ...run.byCountry].map((cut): Cell[] => {
    const change = changes.find((c) => c.metric === 'mentionRate' && sameCut(c.cut, cut.cut));
    return [
      { text: cutName(cut) },
      { text: String(cut.answers), numeric: true },
      { text: proportionText(cut.mentionRate), numeric: true },
      { text: percent(cut.shareOfVoice[0]?.share ?? null), numeric: true },
      { text: positionText(cut.averagePosition), numeric: true },
      { text: proportionText(cut.citationShare), numeric: true },
      change ? verdictCell(change) : { text: NOT_AVAILABLE, tone: 'muted' },
    ];
  });
  return {
    id: 'summary',
    heading: 'Latest run',
    table: {
      columns: ['Cut', 'Answers', 'Mention rate', 'Share of voice', 'Avg position', 'Citation share', 'Mention rate vs previous'],
      rows,
    },
    notes: ['Rates show their 95 % Wilson interval in brackets. A change is called only when a two-proportion z-test gives p < 0.05.'],
  };
}

function changes(all: Change[], compared: boolean): Section {
  const section: Section = { id: 'changes', heading: 'Changes against the previous run', notes: [] };
  if (!compared) return { ...section, notes: ['First run: nothing to compare with yet.'] };
  if (all.length === 0) return { ...section, notes: ['No comparable cuts.'] };
  return {
    ...section,
    table: {
      columns: ['Metric', 'Cut', 'Previous', 'Current', 'Verdict'],
      rows: all.map((c) => [
        { text: c.metric === 'mentionRate' ? 'Mention rate' : 'Citation share' },
        { text: cutLabel(c.cut) },
        { text: proportionText(c.previous), numeric: true },
        { text: proportionText(c.current), numeric: true },
        verdictCell(c),
      ]),
    },
  };
}

function shareOfVoice(run: RunMetrics): Section {
  return {
    id: 'share-of-voice',
    heading: 'Share of voice (latest run)',
    table: {
      columns: ['Brand', 'Mentions', 'Share'],
      rows: run.overall.shareOfVoice.map((s) => [
        { text: s.brand },
        { text: String(s.mentions), numeric: true },
        { text: percent(s.share), numeric: true },
      ]),
    },
    notes: ['Mentions of each tracked brand over mentions of all tracked brands, in every answer of the run.'],
  };
}

function topDomains(run: RunMetrics): Section {
  const { topDomains: domains, answers } = run.overall;
  if (domains.length === 0) return { id: 'domains', heading: 'Top cited domains (latest run)', notes: ['No answer cited a source.'] };
  return {
    id: 'domains',
    heading: 'Top cited domains (latest run)',
    table: {
      columns: ['Domain', 'Answers citing it', 'Share of answers'],
      rows: domains.map((d) => [
        { text: d.domain },
        { text: String(d.answers), numeric: true },
        { text: percent(answers === 0 ? null : d.answers / answers), numeric: true },
      ]),
    },
    notes: [],
  };
}

function churn(input: ReportInput): Section {
  const section: Section = { id: 'churn', heading: 'Competitor and domain churn', notes: [] };
  const { comparison } = input;
  if (!comparison) return { ...section, notes: ['First run: nothing to compare with yet.'] };
  const line = (what: string, { added, removed }: { added: string[]; removed: string[] }) =>
    added.length === 0 && removed.length === 0 ? `${what}: no change.` : `${what}: new ${listOrNone(added)}; gone ${listOrNone(removed)}.`;
  return {
    ...section,
    notes: [line('Competitors named', comparison.competitorChurn), line('Top cited domains', comparison.domainChurn)],
  };
}

function verdictCell(change: Change): Cell {
  const tone = change.verdict === 'up' ? 'up' : change.verdict === 'down' ? 'down' : 'muted';
  return { text: verdictText(change), tone };
}

function cutName(cut: CutMetrics): string {
  const label = cutLabel(cut.cut);
  return label === 'overall' ? 'Overall' : label;
}

function listOrNone(items: string[]): string {
  return items.length === 0 ? 'none' : items.join(', ');
}
