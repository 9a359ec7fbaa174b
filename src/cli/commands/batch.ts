import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, Option } from 'commander';
import { z } from 'zod';
import { BatchFileEncodingError, decodeBatchFile, formatOf, type InvalidRow, parseRows, validateRows } from '../../batches/rows';
import { BatchIdSchema, startBatch } from '../../batches/start';
import { TASK_TYPES } from '../../cloro/schemas';
import { withResultStore } from '../../store';
import { DELIVERIES } from '../../../workflows/definitions';
import { webUiLink } from '../../temporal/links';
import { printBatchSummary, watchBatch } from '../batch-progress';
import { UsageError } from '../handle-error';
import { parseOptions } from '../parse-options';
import { DEFAULT_UI_URL, withClient } from '../with-client';
import { batchCancelCommand } from './batch-cancel';
import { batchStatusCommand } from './batch-status';

const BatchOptionsSchema = z.object({
  type: z.enum(TASK_TYPES).optional(),
  country: z.string().optional(),
  priority: z.coerce.number().optional(),
  delivery: z.enum(DELIVERIES).optional(),
  budget: z.coerce.number().positive().optional(),
  queueBuffer: z.coerce.number().int().min(0).optional(),
  id: BatchIdSchema.optional(),
  wait: z.boolean().default(false),
  skipInvalid: z.boolean().default(false),
  json: z.boolean().default(false),
  uiUrl: z.string().optional(),
});

export function batchCommand(): Command {
  return (
    new Command('batch')
      .description('run every prompt of a JSONL or CSV file as one batch (rows are checked before anything starts)')
      .argument('<file>', 'prompts: .jsonl (one request object a line) or .csv (header: taskType,prompt,country,priority,…)')
      .addOption(new Option('--type <taskType>', 'engine for rows without one').choices(TASK_TYPES))
      .option('--country <code>', 'country for rows without one (default US)')
      .option('--priority <1-10>', 'cloro priority for rows without one (default 1)')
      .addOption(new Option('--delivery <mode>', 'how results are awaited').choices(DELIVERIES))
      .option('--budget <credits>', 'stop submitting before the batch could spend more than this')
      .option(
        '--queue-buffer <n>',
        "most tasks to keep waiting in cloro's queue (default: max(2, 20% of the plan), more if our round trip is long)",
      )
      .option('--id <batchId>', 'batch id (default: file name + content hash, so the same file run twice is one batch)')
      .option('--wait', 'show live progress and a summary table at the end')
      .option('--skip-invalid', 'submit the valid rows even when some are invalid')
      .option('--json', 'print JSON instead of text')
      .option('--ui-url <url>', `Temporal Web UI base for the printed link (default: the running dev stack's, else ${DEFAULT_UI_URL})`)
      // Flags after `status`/`cancel` are theirs: batch has a --json of its own.
      .enablePositionalOptions()
      // exitOverride here: the program sets it one level deep only, and errors must reach handleError
      .addCommand(batchStatusCommand().exitOverride().showHelpAfterError('(run with --help for usage)'))
      .addCommand(batchCancelCommand().exitOverride().showHelpAfterError('(run with --help for usage)'))
      .action(async (file: string, raw: unknown) => {
        const opts = parseOptions(BatchOptionsSchema, raw);
        const format = formatOf(file);
        if (!format) throw new UsageError(`${file}: unknown format`, 'name the file .jsonl or .csv');
        const bytes = await readFile(file).catch((err: NodeJS.ErrnoException) => {
          throw new UsageError(`${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
        });
        const text = decodedOrUsageError(file, bytes);
        const defaults = {
          ...(opts.type ? { taskType: opts.type } : {}),
          ...(opts.country ? { country: opts.country } : {}),
          ...(opts.priority !== undefined ? { priority: opts.priority } : {}),
          ...(opts.delivery ? { delivery: opts.delivery } : {}),
        };
        const batchId = opts.id ?? defaultBatchId(file, text, defaults);
        const parsed = parseRows(text, format);
        const checked = validateRows(parsed.rows, defaults, batchId);
        const invalid = [...parsed.invalid, ...checked.invalid].sort((a, b) => a.line - b.line);
        if (invalid.length > 0) {
          reportInvalid(file, invalid);
          if (!opts.skipInvalid) {
            throw new UsageError(
              `${invalid.length} invalid row(s) in ${file}; nothing was submitted`,
              'fix them, or pass --skip-invalid to run the valid rows',
            );
          }
        }
        if (checked.valid.length === 0) throw new UsageError(`${file}: no valid rows to run`);

        await withClient(async ({ client, cfg, uiUrl }) => {
          const started = await startBatch(client, {
            batchId,
            requests: checked.valid.map((row) => row.request),
            taskQueue: cfg.temporal.taskQueue,
            // Opened only for a batch too large to travel inline.
            promptSets: { writePromptSet: (name, items) => withResultStore(cfg, (results) => results.writePromptSet(name, items)) },
            budget: opts.budget ?? null,
            ...(opts.queueBuffer === undefined ? {} : { tuning: { queueBuffer: opts.queueBuffer } }),
          });
          const link = webUiLink(opts.uiUrl ?? uiUrl, cfg.temporal.namespace, started.workflowId);
          if (opts.json && !opts.wait)
            console.log(JSON.stringify({ batchId, workflowId: started.workflowId, prompts: checked.valid.length, link }));
          else console.error(`batch ${batchId}: ${checked.valid.length} prompts (${started.source}) — ${link}`);
          if (!opts.wait) return;
          printBatchSummary(await watchBatch(started.handle, process.stderr.isTTY && !opts.json), opts.json);
        });
      })
  );
}

function decodedOrUsageError(file: string, bytes: Buffer): string {
  try {
    return decodeBatchFile(bytes);
  } catch (err) {
    if (err instanceof BatchFileEncodingError) throw new UsageError(`${file}: ${err.message}`);
    throw err;
  }
}

/** File name + a hash of its content and the defaults: the same input is the same batch, so nothing is paid twice. */
function defaultBatchId(file: string, text: string, defaults: object): string {
  const base =
    path
      .basename(file)
      .replace(/\.[^.]+$/, '')
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .replace(/^-+/, '')
      .slice(0, 40) || 'batch';
  const digest = createHash('sha256').update(text).update(JSON.stringify(defaults)).digest('hex').slice(0, 10);
  return `${base}-${digest}`;
}

function reportInvalid(file: string, invalid: InvalidRow[]): void {
  const shown = invalid.slice(0, 50);
  for (const { line, reason } of shown) console.error(`${file}:${line}: ${reason}`);
  if (invalid.length > shown.length) console.error(`… and ${invalid.length - shown.length} more`);
}
