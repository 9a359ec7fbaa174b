/**
 * The outline and charts as one self-contained HTML file: inline CSS, inline SVG, no script,
 * no fetched asset, so it opens from a mail attachment or a CI artifact and prints on paper.
 */
import { type Chart, chartDomId } from './charts';
import type { Cell, ReportOutline, Section, Table } from './types';

/** Which chart follows which section. */
const CHARTS_AFTER: Record<string, string> = { summary: 'mention-rate', 'share-of-voice': 'share-of-voice', domains: 'domains' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function renderHtml(doc: ReportOutline, charts: Chart[]): string {
  const chartById = new Map(charts.map((chart) => [chart.id, chart]));
  const body = doc.sections.map((section) => {
    const chart = chartById.get(CHARTS_AFTER[section.id] ?? '');
    return htmlSection(section) + (chart ? htmlChart(chart) : '');
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(doc.title)}</h1>
${doc.lead.map((line) => `<p class="lead">${escapeHtml(line)}</p>`).join('\n')}
</header>
${body.join('\n')}
</main>
</body>
</html>
`;
}

function htmlSection(section: Section): string {
  const parts = [`<section id="${escapeHtml(section.id)}">`, `<h2>${escapeHtml(section.heading)}</h2>`];
  if (section.table) parts.push(htmlTable(section.table));
  parts.push(...section.notes.map((note) => `<p class="note">${escapeHtml(note)}</p>`), '</section>');
  return parts.join('\n');
}

function htmlTable(table: Table): string {
  const head = table.columns.map((title) => `<th scope="col">${escapeHtml(title)}</th>`).join('');
  const rows = table.rows.map((row) => `<tr>${row.map((cell, i) => htmlCell(cell, i === 0)).join('')}</tr>`);
  return `<div class="table"><table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table></div>`;
}

function htmlCell(cell: Cell, header: boolean): string {
  const classes = [cell.numeric ? 'num' : '', cell.tone ?? ''].filter(Boolean).join(' ');
  const tag = header ? 'th scope="row"' : 'td';
  const attrs = classes ? `${tag} class="${classes}"` : tag;
  return `<${attrs}>${escapeHtml(cell.text)}</${header ? 'th' : 'td'}>`;
}

function htmlChart(chart: Chart): string {
  const id = escapeHtml(chartDomId(chart.id));
  return `<figure class="chart" id="${id}">
<figcaption><strong id="${id}-title">${escapeHtml(chart.title)}</strong> <span id="${id}-description">${escapeHtml(chart.description)}</span></figcaption>
${chart.markup}
</figure>`;
}

const STYLE = `
:root { color-scheme: light; --ink: #111827; --muted: #6b7280; --rule: #e5e7eb; --up: #15803d; --down: #b91c1c; }
* { box-sizing: border-box; }
body { margin: 0; background: #f9fafb; color: var(--ink); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 32px 24px 48px; background: #fff; }
h1 { font-size: 1.6rem; margin: 0 0 8px; }
h2 { font-size: 1.15rem; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--rule); }
.lead { margin: 2px 0; color: var(--muted); }
.note { color: var(--muted); font-size: 0.85rem; margin: 6px 0; }
.table { overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.9rem; }
th, td { padding: 6px 9px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
thead th { background: #f3f4f6; font-weight: 600; white-space: nowrap; }
tbody th { font-weight: 500; white-space: nowrap; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.up { color: var(--up); font-weight: 600; }
.down { color: var(--down); font-weight: 600; }
.muted { color: var(--muted); }
.up, .down, .muted { white-space: nowrap; }
figure.chart { margin: 20px 0 8px; padding: 12px 16px; border: 1px solid var(--rule); border-radius: 6px; break-inside: avoid; }
figure.chart figcaption { font-size: 0.85rem; color: var(--muted); margin-bottom: 8px; }
figure.chart figcaption strong { display: block; color: var(--ink); font-size: 0.95rem; }
figure.chart svg[role="img"] { display: block; max-width: 100%; height: auto; }
@media print {
  body { background: #fff; font-size: 11pt; }
  main { max-width: none; padding: 0; }
  section, table, tr { break-inside: avoid; }
  .up, .down { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;
