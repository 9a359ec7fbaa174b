import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { Command } from 'commander';
import { z } from 'zod';
import { TASK_TYPES, type TaskType, CountrySchema } from '../../cloro/schemas';
import { ANSWER_STATUSES } from '../../store/answers-query';
import { type AnswersFormat, type ExportReport, exportAnswers } from '../answers-output';
import { UsageError } from '../handle-error';
import { parseOptions } from '../parse-options';
import { withStore } from '../with-store';

const DURATION_UNITS_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `7d`, `12h`, `30m`, `2w` before now, or an ISO date/time; undefined if it is neither. */
export function parseSince(value: string, now = new Date()): Date | undefined {
  const duration = /^(\d+)([mhdw])$/.exec(value.trim());
  if (duration) return new Date(now.getTime() - Number(duration[1]) * (DURATION_UNITS_MS[duration[2] as string] ?? 0));
  if (!/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const AnswersOptionsSchema = z
  .object({
    batch: z.string().min(1).optional(),
    since: z
      .string()
      .transform((value, ctx) => {
        const date = parseSince(value);
        if (date === undefined)
          ctx.addIssue({ code: 'custom', message: 'must be an ISO date (2026-01-31) or a duration such as 7d, 12h, 30m' });
        return date ?? z.NEVER;
      })
      .optional(),
    engine: z
      .string()
      .transform((value, ctx) => {
        const names = value.split(',').map((name) => name.trim().toUpperCase());
        const unknown = names.filter((name) => !(TASK_TYPES as readonly string[]).includes(name));
        if (unknown.length > 0)
          ctx.addIssue({ code: 'custom', message: `unknown engine "${unknown.join(',')}"; use ${TASK_TYPES.join(', ')}` });
        return names as TaskType[];
      })
      .optional(),
    country: z
      .string()
      .transform((value) => value.toUpperCase())
      .pipe(CountrySchema)
      .optional(),
    status: z.enum(ANSWER_STATUSES).optional(),
    limit: z.coerce.number().int().positive().optional(),
    json: z.boolean().default(false),
    csv: z.boolean().default(false),
    out: z.string().min(1).optional(),
  })
  .refine((o) => !(o.json && o.csv), { message: 'json and --csv: pick one format' });

type AnswersOptions = z.infer<typeof AnswersOptionsSchema>;

export function answersCommand(): Command {
  return new Command('answers')
    .description('export stored answers: a table of the first rows, or every row as CSV or JSON Lines')
    .option('--batch <id>', "only this batch's prompts")
    .option('--since <when>', 'submitted at or after an ISO date, or within a duration such as 7d, 12h')
    .option('--engine <names>', `comma-separated engines (${TASK_TYPES.join(',')})`)
    .option('--country <code>', 'ISO 3166-1 alpha-2 country')
    .option('--status <status>', ANSWER_STATUSES.join('|'))
    .option('--limit <n>', 'at most this many rows')
    .option('--json', 'JSON Lines: every record whole, answer text and sources included')
    .option('--csv', 'CSV: one row per prompt, for spreadsheets')
    .option('--out <file>', 'write to this file instead of stdout (.csv or .jsonl picks the format)')
    .action(async (raw: unknown) => {
      const opts = parseOptions(AnswersOptionsSchema, raw);
      const format = formatOf(opts);
      const filter = { batchId: opts.batch, since: opts.since, engines: opts.engine, country: opts.country, status: opts.status };
      const report = await withStore(({ store }) =>
        toOutput(opts.out, (out) => exportAnswers(store.db, { filter, format, limit: opts.limit }, out)),
      );
      if (report.problems.length > 0) {
        for (const problem of report.problems) console.error(`skipped: ${problem.message}`);
        throw new Error(`${report.problems.length} stored rows did not parse and were left out (listed above)`);
      }
      if (opts.out) console.error(`wrote ${report.rows} ${report.rows === 1 ? 'row' : 'rows'} to ${opts.out}`);
    });
}

function formatOf(opts: AnswersOptions): AnswersFormat {
  if (opts.json) return 'json';
  if (opts.csv) return 'csv';
  if (opts.out === undefined) return 'table';
  if (/\.csv$/i.test(opts.out)) return 'csv';
  if (/\.(jsonl|ndjson|json)$/i.test(opts.out)) return 'json';
  throw new UsageError(`--out: cannot tell the format from ${opts.out}`, 'add --csv or --json, or name the file .csv or .jsonl');
}

/** To stdout, or to a temp file renamed into place once complete, so a failed export never looks like a finished one. */
async function toOutput(file: string | undefined, write: (out: Writable) => Promise<ExportReport>): Promise<ExportReport> {
  if (file === undefined) return write(process.stdout);
  const tmp = `${file}.${process.pid}.tmp`;
  const out = createWriteStream(tmp);
  try {
    await once(out, 'open');
    const report = await write(out);
    out.end();
    await finished(out);
    await rename(tmp, file);
    return report;
  } catch (err) {
    out.destroy();
    await rm(tmp, { force: true });
    throw err;
  }
}
