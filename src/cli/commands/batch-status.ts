import { Command } from 'commander';
import { z } from 'zod';
import { batchHandle } from '../../batches/start';
import { progressQuery } from '../../../workflows/definitions';
import { printBatchSummary, watchBatch } from '../batch-progress';
import { parseOptions } from '../parse-options';
import { waitForResult } from '../../temporal/result';
import { withClient } from '../with-client';

const StatusOptionsSchema = z.object({ json: z.boolean().default(false), watch: z.boolean().default(false) });

export function batchStatusCommand(): Command {
  return new Command('status')
    .description("a batch's progress (a finished batch's final counts)")
    .argument('<batchId>', 'the batch id, or its workflow id')
    .option('--watch', 'follow it with a live progress bar until it ends')
    .option('--json', 'print JSON instead of text')
    .action(async (id: string, raw: unknown) => {
      const opts = parseOptions(StatusOptionsSchema, raw);
      await withClient(async ({ client }) => {
        const handle = batchHandle(client, id);
        if (opts.watch) {
          printBatchSummary(await watchBatch(handle, process.stderr.isTTY && !opts.json), opts.json);
          return;
        }
        // A closed batch's result is its final progress; only a running one needs a worker to answer the query.
        const { status } = await handle.describe();
        printBatchSummary(status.name === 'RUNNING' ? await handle.query(progressQuery) : await waitForResult(handle), opts.json);
      });
    });
}
