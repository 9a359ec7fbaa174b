/**
 * Brand-monitoring reports (issue #12): one outline of the latest run and its changes,
 * rendered as Markdown (what the CLI prints), self-contained HTML with charts, or JSON.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderCharts } from './charts';
import { renderHtml } from './html';
import { stableJson } from './json';
import { renderMarkdown } from './markdown';
import { outline } from './outline';
import type { ReportFormat, ReportInput } from './types';

export type { ReportFormat, ReportInput } from './types';

/**
 * Async because the HTML charts need Observable Plot, an ES module this CommonJS build can
 * only load with a dynamic import (see esm-loader.ts); Markdown and JSON resolve at once.
 */
export async function renderReport(input: ReportInput, format: ReportFormat): Promise<string> {
  switch (format) {
    case 'md':
      return renderMarkdown(outline(input));
    case 'html':
      return renderHtml(outline(input), await renderCharts(input));
    case 'json':
      return stableJson(input);
  }
}

/** Writes `<dir>/<monitorId>-<runId>.html` (ids made file-name safe) and returns its path. */
export async function writeHtmlReport(dir: string, monitorId: string, runId: string, html: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${safeName(monitorId)}-${safeName(runId)}.html`);
  await writeFile(file, html, 'utf8');
  return file;
}

function safeName(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_') || '_';
}
