import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { renderReport, type ReportInput, writeHtmlReport } from '../../../src/reports';
import { hubspotReport } from '../../fixtures/metrics/hubspot';

const MALICIOUS = '<img src=x onerror=alert(1)>';

/** The Markdown row whose first cell is `label`, cells trimmed. */
function row(md: string, label: string): string[] {
  const line = md.split('\n').find((l) => l.startsWith(`| ${label} `));
  if (!line) throw new Error(`no row ${label} in:\n${md}`);
  return line
    .slice(1, -1)
    .split('|')
    .map((cell) => cell.trim());
}

describe('Markdown report', () => {
  let md: string;
  beforeAll(async () => {
    md = await renderReport(hubspotReport(), 'md');
  });

  it('summarises the latest run per engine and per country with intervals and verdicts', () => {
    expect(row(md, 'Overall')).toEqual([
      'Overall',
      '60',
      '62 % (49–73)',
      '45 %',
      '1.5',
      '27 % (17–39)',
      '▲ +20 pts, significant (p = 0.03)',
    ]);
    expect(row(md, 'engine CHATGPT')).toEqual([
      'engine CHATGPT',
      '30',
      '77 % (59–88)',
      '52 %',
      '1.3',
      '37 % (22–54)',
      '▲ +37 pts, significant (p = 0.004)',
    ]);
    expect(row(md, 'engine PERPLEXITY').at(-1)).toBe('no real change (p = 0.80)');
    expect(row(md, 'country US').slice(0, 3)).toEqual(['country US', '30', '67 % (49–81)']);
    expect(row(md, 'country DE').at(-1)).toBe('no real change (p = 0.12)');
  });

  it('lists every change with previous and current values', () => {
    expect(md).toMatch(
      /\| Citation share +\| engine CHATGPT +\| +10 % \(3–26\) \| 37 % \(22–54\) \| ▲ \+27 pts, significant \(p = 0\.01\) +\|/,
    );
    expect(md).toMatch(/\| Mention rate +\| engine PERPLEXITY +\| 43 % \(27–61\) \| 47 % \(30–64\) \| no real change \(p = 0\.80\) +\|/);
  });

  it('shows share of voice, top cited domains and churn', () => {
    expect(row(md, 'Salesforce')).toEqual(['Salesforce', '45', '38 %']);
    expect(row(md, 'trustradius.com')).toEqual(['trustradius.com', '8', '13 %']);
    expect(md).toContain('Competitors named: new Pipedrive; gone none.');
    expect(md).toContain('Top cited domains: new trustradius.com; gone reddit.com.');
  });

  it('pads every table line to one width so it reads in a terminal', () => {
    const table = md
      .split('## ')
      .find((section) => section.startsWith('Latest run'))!
      .split('\n')
      .filter((l) => l.startsWith('|'));
    expect(new Set(table.map((l) => l.length)).size).toBe(1);
  });

  it('says so when there is nothing to compare with, or no run at all', async () => {
    const input = hubspotReport();
    const first = await renderReport({ ...input, runs: input.runs.slice(0, 1), comparison: null }, 'md');
    expect(first).toContain('no earlier run to compare with');
    expect(first).toContain('First run: nothing to compare with yet.');
    expect(row(first, 'Overall').at(-1)).toBe('–');
    expect(await renderReport({ ...input, runs: [], comparison: null }, 'md')).toContain('No runs yet.');
  });
});

describe('HTML report', () => {
  let html: string;
  beforeAll(async () => {
    html = await renderReport(hubspotReport(), 'html');
  });

  it('is one self-contained document: no script, no fetched asset', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<html/g)).toHaveLength(1);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<(link|img|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/\b(src|href)\s*=/i);
    expect(html).not.toMatch(/url\(|@import/i);
    const urls = html.match(/https?:\/\/[^\s"'<>]+/g) ?? [];
    expect(urls.filter((u) => !u.startsWith('http://www.w3.org/'))).toEqual([]);
  });

  it('draws three labelled SVG charts', () => {
    const charts = html.match(/<svg[^>]*role="img"[^>]*>/g) ?? [];
    expect(charts).toHaveLength(3);
    for (const svg of charts) expect(svg).toMatch(/aria-labelledby="chart-[a-z-]+-title"/);
    for (const id of ['mention-rate', 'share-of-voice', 'domains']) expect(html).toContain(`id="chart-${id}"`);
    expect(html).toContain('Mention rate of HubSpot over time');
  });

  it('carries the same tables as the Markdown', () => {
    expect(html).toContain('<th scope="row">engine CHATGPT</th>');
    expect(html).toContain('<td class="num">77 % (59–88)</td>');
    expect(html).toContain('<td class="up">▲ +37 pts, significant (p = 0.004)</td>');
    expect(html).toContain('<td class="muted">no real change (p = 0.80)</td>');
  });

  it('escapes a brand name that is markup, in tables, titles and charts', async () => {
    const evil = await renderReport(hubspotReport({ brand: MALICIOUS }), 'html');
    expect(evil).not.toContain('<img');
    expect(evil).not.toMatch(/<[^>]*onerror/);
    expect(evil).toContain('&#60;img src=x onerror=alert(1)&#62;: brand monitoring report');
    expect(evil).toContain('<strong id="chart-mention-rate-title">Mention rate of &#60;img src=x onerror=alert(1)&#62; over time</strong>');
    // Plot's bar labels and tooltips, escaped by the DOM they were drawn in.
    expect(evil).toContain('<title>&lt;img src=x onerror=alert(1)&gt;: 54 mentions</title>');
  });
});

describe('JSON report', () => {
  it('round-trips the input', async () => {
    const input = hubspotReport();
    expect(JSON.parse(await renderReport(input, 'json'))).toEqual(input);
  });

  it('is stable: the same data in another key order gives the same text', async () => {
    const input = hubspotReport();
    const reordered = JSON.parse(JSON.stringify(input), (_key, value: unknown) =>
      value && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).reverse()) : value,
    ) as ReportInput;
    expect(await renderReport(reordered, 'json')).toBe(await renderReport(input, 'json'));
  });
});

describe('writeHtmlReport', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cloro-report-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes <dir>/<monitorId>-<runId>.html and returns its path', async () => {
    const file = await writeHtmlReport(path.join(dir, 'reports'), 'hubspot-crm', 'run-2026-03-02', '<!doctype html>');
    expect(file).toBe(path.join(dir, 'reports', 'hubspot-crm-run-2026-03-02.html'));
    expect(await readFile(file, 'utf8')).toBe('<!doctype html>');
  });

  it('keeps ids from leaving the directory', async () => {
    const file = await writeHtmlReport(dir, '../../etc', 'a/b', 'x');
    expect(path.dirname(file)).toBe(dir);
  });
});
