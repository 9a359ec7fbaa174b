/**
 * The database's tables as Kysely sees them. jsonb columns are written as JSON text (both
 * `pg` and PGlite pass a string through unchanged, whereas `pg` would turn a JS array into
 * a Postgres array literal) and read back as `unknown`: what comes out of jsonb is parsed
 * with zod before anyone trusts it.
 */
import type { ColumnType, Generated, Selectable } from 'kysely';
import type { AnswerPage } from '../cloro/pages';

type Json = ColumnType<unknown, string, string>;
type JsonOrNull = ColumnType<unknown, string | null, string | null>;
/** Written as an ISO string, read back as a Date (timestamptz). */
type Timestamp = ColumnType<Date, string, string>;
type TimestampOrNull = ColumnType<Date | null, string | null, string | null>;

/** One row per prompt workflow, written before the task is created at cloro. */
export interface SubmissionsTable {
  workflow_id: string;
  idempotency_key: string;
  task_type: string;
  prompt: string;
  country: string;
  priority: number | null;
  batch_id: string | null;
  monitor_id: string | null;
  run_id: string | null;
  labels: Json;
  status: 'SUBMITTED' | 'COMPLETED' | 'FAILED';
  task_id: string | null;
  /** cloro's credits object as sent; `credits_charged` copies the one figure reports sum. */
  credits: JsonOrNull;
  credits_charged: number | null;
  submitted_at: Timestamp;
  fetched_at: TimestampOrNull;
}

/** A completed task's answer. `raw` is cloro's result minus the parts kept in columns/rows. */
export interface AnswersTable {
  workflow_id: string;
  task_id: string;
  model: string | null;
  text: string | null;
  markdown: string | null;
  search_queries: JsonOrNull;
  raw: Json;
  fetched_at: Timestamp;
}

export interface AnswerSourcesTable {
  workflow_id: string;
  /** Index in cloro's `sources` array, which is the answer's citation order. */
  position: number;
  url: string;
  label: string | null;
  description: string | null;
  raw: Json;
}

export interface FailuresTable {
  workflow_id: string;
  task_id: string;
  code: string;
  message: string;
  /** cloro's error object as sent (details included). */
  raw: Json;
  fetched_at: Timestamp;
}

/** cloro tasks no workflow owns (e.g. found by idempotency key after a lost response). */
export interface OrphansTable {
  task_id: string;
  idempotency_key: string | null;
  workflow_id: string | null;
  reason: string;
  raw: JsonOrNull;
  found_at: Timestamp;
}

export interface PromptSetsTable {
  name: string;
  total: number;
  created_at: Generated<Date>;
}

export interface PromptSetItemsTable {
  set_name: string;
  /** 0-based position in the set: pages are read by ordinal, never by SQL OFFSET. */
  ordinal: number;
  item: Json;
}

/** A monitor's definition as validated (the parsed file), re-validated on every read. */
export interface MonitorsTable {
  id: string;
  brand: string;
  definition: Json;
  created_at: Generated<Date>;
  updated_at: ColumnType<Date, string | undefined, string>;
}

export interface MonitorRunsTable {
  run_id: string;
  monitor_id: string;
  batch_id: string;
  scheduled_at: Timestamp;
  started_at: Timestamp;
  finished_at: TimestampOrNull;
  backfilled: boolean;
  total: number;
  /** The batch's final progress (counters, credits, stop reason). */
  progress: JsonOrNull;
}

export interface RunMetricsTable {
  run_id: string;
  methodology_version: number;
  /** RunMetrics (src/analysis/types.ts). */
  metrics: Json;
  /** RunComparison against the run before it; null for a monitor's first run. */
  comparison: JsonOrNull;
  computed_at: Timestamp;
}

/** The HTML behind an answer's `html` links (see src/cloro/pages.ts). */
export interface AnswerPagesTable extends AnswerPage {
  workflow_id: string;
  fetched_at: Timestamp;
}

export interface Database {
  submissions: SubmissionsTable;
  answers: AnswersTable;
  answer_sources: AnswerSourcesTable;
  answer_pages: AnswerPagesTable;
  failures: FailuresTable;
  orphans: OrphansTable;
  prompt_sets: PromptSetsTable;
  prompt_set_items: PromptSetItemsTable;
  monitors: MonitorsTable;
  monitor_runs: MonitorRunsTable;
  run_metrics: RunMetricsTable;
}

export type SubmissionRow = Selectable<SubmissionsTable>;
export type AnswerRow = Selectable<AnswersTable>;
export type SourceRow = Selectable<AnswerSourcesTable>;
export type FailureRow = Selectable<FailuresTable>;
