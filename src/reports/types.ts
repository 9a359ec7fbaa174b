import type { RunComparison, RunMetrics } from '../analysis/types';

export type ReportFormat = 'md' | 'html' | 'json';

/** Everything a report shows: the monitor, its runs (oldest first) and latest-vs-previous. */
export interface ReportInput {
  monitor: { id: string; brand: string; competitors: string[]; engines: string[]; countries: string[] };
  runs: RunMetrics[];
  /** Latest run against the one before it; null for a monitor's first run. */
  comparison: RunComparison | null;
  generatedAt: string;
}

/** One table cell; `tone` lets HTML colour a verdict (Markdown prints the text alone). */
export interface Cell {
  text: string;
  tone?: 'up' | 'down' | 'muted';
  numeric?: boolean;
}

export interface Table {
  columns: string[];
  rows: Cell[][];
}

/** A titled block of a report: an optional table and lines of prose, in that order. */
export interface Section {
  id: string;
  heading: string;
  table?: Table;
  notes: string[];
}

export interface ReportOutline {
  title: string;
  /** One line each: what the monitor tracks, which runs are compared, when this was made. */
  lead: string[];
  sections: Section[];
}
