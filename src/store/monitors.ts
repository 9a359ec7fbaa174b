/**
 * Monitors in the database: definitions, runs and the metrics each run scored. Writes are
 * keyed (monitor id, run id) and idempotent, as everywhere in the store: a retried activity
 * writes the same rows again. Definitions and metrics come back as `unknown` for the caller
 * to parse with its own schema — jsonb is never trusted as a type.
 */
import type { Kysely } from 'kysely';
import { json } from './rows';
import type { Database } from './schema';

export interface MonitorRow {
  id: string;
  brand: string;
  definition: unknown;
  createdAt: Date;
  updatedAt: Date;
}

export interface RunStart {
  runId: string;
  monitorId: string;
  batchId: string;
  scheduledAt: string;
  startedAt: string;
  backfilled: boolean;
  total: number;
}

export interface RunRow extends RunStart {
  finishedAt: string | null;
  progress: unknown;
  metrics: unknown;
  comparison: unknown;
  methodologyVersion: number | null;
}

export class MonitorStore {
  constructor(private readonly db: Kysely<Database>) {}

  async save(id: string, brand: string, definition: unknown): Promise<void> {
    const now = new Date().toISOString();
    await this.db
      .insertInto('monitors')
      .values({ id, brand, definition: json(definition), updated_at: now })
      .onConflict((oc) => oc.column('id').doUpdateSet({ brand, definition: json(definition), updated_at: now }))
      .execute();
  }

  async get(id: string): Promise<MonitorRow | undefined> {
    const row = await this.db.selectFrom('monitors').selectAll().where('id', '=', id).executeTakeFirst();
    return row && { id: row.id, brand: row.brand, definition: row.definition, createdAt: row.created_at, updatedAt: row.updated_at };
  }

  async list(): Promise<MonitorRow[]> {
    const rows = await this.db.selectFrom('monitors').selectAll().orderBy('id').execute();
    return rows.map((row) => ({
      id: row.id,
      brand: row.brand,
      definition: row.definition,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }));
  }

  /** Forgets the definition; its runs, metrics and answers stay unless `purge`. */
  async delete(id: string, purge: boolean): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('monitors').where('id', '=', id).execute();
      if (!purge) return;
      await trx.deleteFrom('monitor_runs').where('monitor_id', '=', id).execute();
      await trx.deleteFrom('submissions').where('monitor_id', '=', id).execute();
    });
  }

  /** A retried or re-run preparation of the same run keeps the first start. */
  async startRun(run: RunStart): Promise<void> {
    await this.db
      .insertInto('monitor_runs')
      .values({
        run_id: run.runId,
        monitor_id: run.monitorId,
        batch_id: run.batchId,
        scheduled_at: run.scheduledAt,
        started_at: run.startedAt,
        backfilled: run.backfilled,
        total: run.total,
      })
      .onConflict((oc) => oc.column('run_id').doNothing())
      .execute();
  }

  async getRun(runId: string): Promise<RunRow | undefined> {
    return (await this.runs((q) => q.where('r.run_id', '=', runId)))[0];
  }

  /** The monitor's runs, newest first (at most `limit`); `before` keeps only runs due earlier. */
  listRuns(monitorId: string, options: { limit?: number; before?: string } = {}): Promise<RunRow[]> {
    return this.runs((q) => {
      let query = q.where('r.monitor_id', '=', monitorId);
      if (options.before !== undefined) query = query.where('r.scheduled_at', '<', new Date(options.before));
      return query.orderBy('r.scheduled_at', 'desc').limit(options.limit ?? 1_000);
    });
  }

  /** Records how the run's batch ended and what it scored; repeated, it overwrites with the same. */
  async finishRun(
    runId: string,
    done: { progress: unknown; metrics: unknown; comparison: unknown; methodologyVersion: number },
  ): Promise<void> {
    const now = new Date().toISOString();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('monitor_runs')
        .set({ finished_at: now, progress: json(done.progress) })
        .where('run_id', '=', runId)
        .execute();
      await this.writeMetrics(trx, runId, done, now);
    });
  }

  /** Re-scored metrics (`monitor recompute`): the run's outcome stays as it was. */
  async saveMetrics(runId: string, done: { metrics: unknown; comparison: unknown; methodologyVersion: number }): Promise<void> {
    await this.writeMetrics(this.db, runId, done, new Date().toISOString());
  }

  private async writeMetrics(
    db: Kysely<Database>,
    runId: string,
    done: { metrics: unknown; comparison: unknown; methodologyVersion: number },
    now: string,
  ): Promise<void> {
    const values = {
      methodology_version: done.methodologyVersion,
      metrics: json(done.metrics),
      comparison: done.comparison === null ? null : json(done.comparison),
      computed_at: now,
    };
    await db
      .insertInto('run_metrics')
      .values({ run_id: runId, ...values })
      .onConflict((oc) => oc.column('run_id').doUpdateSet(values))
      .execute();
  }

  private async runs(where: (q: ReturnType<MonitorStore['runQuery']>) => ReturnType<MonitorStore['runQuery']>): Promise<RunRow[]> {
    const rows = await where(this.runQuery()).execute();
    return rows.map((r) => ({
      runId: r.run_id,
      monitorId: r.monitor_id,
      batchId: r.batch_id,
      scheduledAt: r.scheduled_at.toISOString(),
      startedAt: r.started_at.toISOString(),
      finishedAt: r.finished_at?.toISOString() ?? null,
      backfilled: r.backfilled,
      total: r.total,
      progress: r.progress,
      metrics: r.metrics,
      comparison: r.comparison,
      methodologyVersion: r.methodology_version,
    }));
  }

  private runQuery() {
    return this.db
      .selectFrom('monitor_runs as r')
      .leftJoin('run_metrics as m', 'm.run_id', 'r.run_id')
      .select([
        'r.run_id',
        'r.monitor_id',
        'r.batch_id',
        'r.scheduled_at',
        'r.started_at',
        'r.finished_at',
        'r.backfilled',
        'r.total',
        'r.progress',
        'm.metrics',
        'm.comparison',
        'm.methodology_version',
      ]);
  }
}
