import { Command } from 'commander';
import { z } from 'zod';
import { backfillMonitor } from '../../monitors/manage';
import { parseOptions } from '../parse-options';
import { withMonitors } from '../with-monitors';

const BackfillOptionsSchema = z
  .object({ from: z.iso.datetime({ offset: true }).or(z.iso.date()), to: z.iso.datetime({ offset: true }).or(z.iso.date()) })
  .refine((o) => Date.parse(o.from) < Date.parse(o.to), { message: 'must be before --to', path: ['from'] });

export function monitorBackfillCommand(): Command {
  return new Command('backfill')
    .description('run a monitor for every time its cadence was due in a past window (each run marked as a backfill)')
    .argument('<id>', 'the monitor id')
    .requiredOption('--from <time>', 'window start, ISO date or date-time')
    .requiredOption('--to <time>', 'window end, ISO date or date-time')
    .action(async (id: string, raw: unknown) => {
      const opts = parseOptions(BackfillOptionsSchema, raw);
      await withMonitors(async (s) => {
        await backfillMonitor(s, id, new Date(opts.from), new Date(opts.to));
        console.log(`monitor ${id}: backfilling ${opts.from} → ${opts.to}`);
      });
    });
}
