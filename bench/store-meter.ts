/**
 * What the benches measure of the results database: the latency of every saveSubmission
 * and saveOutcome the activities make (a DbResultStore whose two writes are timed; src/ is
 * unchanged), and the database's size, to give the bytes each prompt costs.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { DbResultStore } from '../src/store/db-store';
import type { Outcome, Submission } from '../src/store/record';
import type { Store } from '../src/store/db';

export interface WriteLatency {
  writes: number;
  p50: number;
  p99: number;
  max: number;
}

export interface WriteLatencies {
  submission: WriteLatency;
  outcome: WriteLatency;
  all: WriteLatency;
}

/** The database store with its two per-prompt writes timed (ms, wall clock, including queueing on the connection). */
export class TimedResultStore extends DbResultStore {
  private submissions: number[] = [];
  private outcomes: number[] = [];

  override async saveSubmission(submission: Submission): Promise<void> {
    const started = performance.now();
    try {
      await super.saveSubmission(submission);
    } finally {
      this.submissions.push(performance.now() - started);
    }
  }

  override async saveOutcome(workflowId: string, outcome: Outcome): Promise<string> {
    const started = performance.now();
    try {
      return await super.saveOutcome(workflowId, outcome);
    } finally {
      this.outcomes.push(performance.now() - started);
    }
  }

  /** Latencies so far in this measured run, for a progress line. */
  peek(): WriteLatencies {
    return {
      submission: latency(this.submissions),
      outcome: latency(this.outcomes),
      all: latency([...this.submissions, ...this.outcomes]),
    };
  }

  /** Latencies since the last call, then starts afresh (one figure per measured run). */
  take(): WriteLatencies {
    const figures = this.peek();
    this.submissions = [];
    this.outcomes = [];
    return figures;
  }
}

function latency(samples: number[]): WriteLatency {
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
  return { writes: sorted.length, p50: at(0.5), p99: at(0.99), max: at(1) };
}

export function formatLatency(l: WriteLatency): string {
  return `p50 ${l.p50.toFixed(1)} ms · p99 ${l.p99.toFixed(1)} ms · max ${l.max.toFixed(0)} ms (${l.writes} writes)`;
}

export interface DatabaseSize {
  /** pg_database_size of the current database. */
  database: number;
  /** The embedded data dir on disk (WAL included); null on a server. */
  dataDir: number | null;
}

export async function databaseSize(store: Store, dataDir: string | undefined): Promise<DatabaseSize> {
  const { rows } = await sql<{ size: string }>`select pg_database_size(current_database())::text as size`.execute(store.db);
  return { database: Number(rows[0]!.size), dataDir: dataDir === undefined ? null : await dirBytes(dataDir) };
}

/** Bytes each of `prompts` added between two sizes. */
export function perPrompt(before: DatabaseSize, after: DatabaseSize, prompts: number): { database: number; dataDir: number | null } {
  return {
    database: (after.database - before.database) / prompts,
    dataDir: after.dataDir === null || before.dataDir === null ? null : (after.dataDir - before.dataDir) / prompts,
  };
}

export function formatPerPrompt(p: { database: number; dataDir: number | null }): string {
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  return `${kb(p.database)} (pg_database_size)${p.dataDir === null ? '' : ` · ${kb(p.dataDir)} (data dir on disk)`}`;
}

async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await dirBytes(full);
    else if (entry.isFile()) total += (await stat(full)).size;
  }
  return total;
}
