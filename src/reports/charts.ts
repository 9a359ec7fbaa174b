/**
 * The report's charts, drawn by Observable Plot into a server-side DOM (linkedom) and kept as
 * SVG markup: the HTML file needs no script and no network to show them. Text that came from
 * users (brands, domains, engines) reaches the SVG only through the DOM, which escapes it.
 */
import type { RunMetrics } from '../analysis/types';
import { loadChartModules, type Plot } from './esm-loader';
import type { ReportInput } from './types';

export interface Chart {
  id: string;
  title: string;
  /** What the chart shows, in words, for screen readers and print. */
  description: string;
  /** `<svg>` markup (with Plot's legend in front of it when it has one), labelled by the caption's ids. */
  markup: string;
}

/** Above this many engines the mention-rate chart shows the overall line only: more would be a tangle. */
export const MAX_ENGINE_LINES = 5;
const WIDTH = 760;
const BRAND_COLOUR = '#1d4ed8';
const COMPETITOR_COLOUR = '#9ca3af';
const DOMAIN_COLOUR = '#0f766e';

export async function renderCharts(input: ReportInput): Promise<Chart[]> {
  const latest = input.runs.at(-1);
  if (!latest) return [];
  const { Plot, parseHTML } = await loadChartModules();
  const { document } = parseHTML('<!doctype html><html><head></head><body></body></html>');
  const draw: Draw = (id, title, description, options) => {
    const figure = Plot.plot({ ...options, document, width: WIDTH, style: { fontSize: '12px' } });
    // With a legend Plot returns a figure: the legend's swatches are SVGs too; the chart is its own child.
    const svg =
      figure.tagName.toLowerCase() === 'svg' ? figure : [...figure.children].find((child) => child.tagName.toLowerCase() === 'svg');
    // Named by the figure's caption (which html.ts escapes) rather than by aria-label: the DOM
    // escapes only quotes in attributes, so a brand name would otherwise sit in the markup raw.
    svg?.setAttribute('role', 'img');
    svg?.setAttribute('aria-labelledby', `${chartDomId(id)}-title`);
    svg?.setAttribute('aria-describedby', `${chartDomId(id)}-description`);
    return { id, title, description, markup: figure.outerHTML };
  };
  return [
    mentionRateChart(Plot, input, draw),
    shareOfVoiceChart(Plot, input.monitor.brand, latest, draw),
    domainsChart(Plot, latest, draw),
  ];
}

type Draw = (id: string, title: string, description: string, options: Parameters<Plot['plot']>[0]) => Chart;

function mentionRateChart(Plot: Plot, input: ReportInput, draw: Draw): Chart {
  const perEngine = input.runs.every((run) => run.byEngine.length > 0 && run.byEngine.length <= MAX_ENGINE_LINES);
  const points = input.runs.flatMap((run) =>
    (perEngine ? run.byEngine : [run.overall]).flatMap((cut) => {
      const { rate, low, high, successes, trials } = cut.mentionRate;
      if (rate === null || low === null || high === null) return [];
      const series = cut.cut.engine ?? 'overall';
      const tip = `${series}, ${run.runAt.slice(0, 10)}: ${Math.round(rate * 100)} % (${successes}/${trials}), 95 % interval ${Math.round(low * 100)}–${Math.round(high * 100)} %`;
      return [{ series, at: new Date(run.runAt), rate, low, high, tip }];
    }),
  );
  const what = perEngine ? 'per engine' : 'over all engines';
  return draw(
    'mention-rate',
    `Mention rate of ${input.monitor.brand} over time`,
    `Share of answers naming ${input.monitor.brand} in each run, ${what}, with the 95 % Wilson interval as a band.`,
    {
      height: 320,
      marginLeft: 48,
      marginRight: 24,
      x: { type: 'utc', label: null, inset: 24, ticks: input.runs.map((run) => new Date(run.runAt)), tickFormat: '%b %-d, %Y' },
      y: { percent: true, domain: [0, 100], label: 'Answers naming the brand (%)', grid: true },
      color: { legend: true, scheme: 'observable10' },
      marks: [
        Plot.areaY(points, { x: 'at', y1: 'low', y2: 'high', fill: 'series', fillOpacity: 0.15, curve: 'linear' }),
        Plot.lineY(points, { x: 'at', y: 'rate', stroke: 'series', strokeWidth: 2 }),
        Plot.dot(points, { x: 'at', y: 'rate', fill: 'series', r: 4, title: 'tip' }),
        Plot.ruleY([0]),
      ],
    },
  );
}

function shareOfVoiceChart(Plot: Plot, brand: string, run: RunMetrics, draw: Draw): Chart {
  const rows = run.overall.shareOfVoice.map((s, i) => ({ ...s, share: s.share ?? 0, own: i === 0 }));
  return draw(
    'share-of-voice',
    `Share of voice: ${brand} against competitors`,
    `Each tracked brand's share of all tracked-brand mentions in run ${run.runId}.`,
    {
      height: 40 + 34 * rows.length,
      marginLeft: labelMargin(rows.map((r) => r.brand)),
      marginRight: 48,
      x: { percent: true, domain: [0, 100], label: 'Share of mentions (%)', grid: true },
      y: { label: null, domain: rows.map((r) => r.brand) },
      marks: [
        Plot.barX(rows, {
          y: 'brand',
          x: 'share',
          fill: (r) => (r.own ? BRAND_COLOUR : COMPETITOR_COLOUR),
          title: (r) => `${r.brand}: ${r.mentions} mentions`,
        }),
        Plot.text(rows, { y: 'brand', x: 'share', text: (r) => `${Math.round(r.share * 100)} %`, textAnchor: 'start', dx: 4 }),
        Plot.ruleX([0]),
      ],
    },
  );
}

function domainsChart(Plot: Plot, run: RunMetrics, draw: Draw): Chart {
  const rows = run.overall.topDomains;
  return draw(
    'domains',
    'Top cited domains',
    `Answers citing each domain in run ${run.runId}, most cited first (${run.overall.answers} answers in all).`,
    {
      height: 40 + 26 * Math.max(rows.length, 1),
      marginLeft: labelMargin(rows.map((r) => r.domain)),
      marginRight: 40,
      x: { label: 'Answers citing the domain', grid: true },
      y: { label: null, domain: rows.map((r) => r.domain) },
      marks: [
        Plot.barX(rows, { y: 'domain', x: 'answers', fill: DOMAIN_COLOUR, title: (r) => `${r.domain}: ${r.answers} answers` }),
        Plot.text(rows, { y: 'domain', x: 'answers', text: (r) => String(r.answers), textAnchor: 'start', dx: 4 }),
        Plot.ruleX([0]),
      ],
    },
  );
}

/** The id of a chart's figure in the page; `-title` and `-description` name its caption's parts. */
export function chartDomId(id: string): string {
  return `chart-${id}`;
}

/** Room for the longest y label at 12 px, within reason. */
function labelMargin(labels: string[]): number {
  const longest = Math.max(0, ...labels.map((l) => l.length));
  return Math.min(240, Math.max(60, Math.ceil(longest * 7) + 12));
}
