/**
 * The outline as Markdown that also reads in a terminal (the CLI prints it as is): columns
 * padded to one width, numbers aligned right, nothing but plain text.
 */
import type { ReportOutline, Table } from './types';

export function renderMarkdown(doc: ReportOutline): string {
  const lines = [`# ${doc.title}`, '', ...doc.lead, ''];
  for (const section of doc.sections) {
    lines.push(`## ${section.heading}`, '');
    if (section.table) lines.push(...markdownTable(section.table), '');
    for (const note of section.notes) lines.push(note, '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

function markdownTable(table: Table): string[] {
  const cells = table.rows.map((row) => row.map((cell) => cell.text.replace(/\|/g, '\\|').replace(/\s+/g, ' ')));
  const numeric = table.columns.map((_, i) => table.rows.length > 0 && table.rows.every((row) => row[i]?.numeric));
  const widths = table.columns.map((title, i) => Math.max(title.length, 3, ...cells.map((row) => (row[i] ?? '').length)));
  const pad = (text: string, i: number) => (numeric[i] ? text.padStart(widths[i]) : text.padEnd(widths[i]));
  const line = (texts: string[]) => `| ${texts.map(pad).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (numeric[i] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(table.columns), rule, ...cells.map(line)];
}
