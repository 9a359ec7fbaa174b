import { Command } from 'commander';
import { z } from 'zod';
import { batchHandle } from '../../batches/start';
import { cancelBatchUpdate } from '../../../workflows/definitions';
import { printBatchSummary } from '../batch-progress';
import { parseOptions } from '../parse-options';
import { withClient } from '../with-client';

const CancelOptionsSchema = z.object({
  reason: z.string().default('cancelled from the CLI'),
  clearOrgQueue: z.boolean().default(false),
  json: z.boolean().default(false),
});

export function batchCancelCommand(): Command {
  return new Command('cancel')
    .description('stop submitting, cancel the prompts still waiting, and report what was skipped')
    .argument('<batchId>', 'the batch id, or its workflow id')
    .option('--reason <text>', 'recorded in the batch history')
    .option('--clear-org-queue', "also call cloro's DELETE /v1/async/queue — cancels EVERY queued task of the org, not only this batch's")
    .option('--json', 'print JSON instead of text')
    .action(async (id: string, raw: unknown) => {
      const opts = parseOptions(CancelOptionsSchema, raw);
      const progress = await withClient(({ client }) =>
        batchHandle(client, id).executeUpdate(cancelBatchUpdate, { args: [{ reason: opts.reason, clearOrgQueue: opts.clearOrgQueue }] }),
      );
      printBatchSummary(progress, opts.json);
    });
}
