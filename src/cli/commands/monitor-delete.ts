import { Command } from 'commander';
import { z } from 'zod';
import { deleteMonitor } from '../../monitors/manage';
import { parseOptions } from '../parse-options';
import { withMonitors } from '../with-monitors';

const DeleteOptionsSchema = z.object({ purge: z.boolean().default(false) });

export function monitorDeleteCommand(): Command {
  return new Command('delete')
    .description("delete a monitor's schedule and definition; its answers and metrics stay unless --purge")
    .argument('<id>', 'the monitor id')
    .option('--purge', 'also delete every stored answer, run and metric of the monitor')
    .action(async (id: string, raw: unknown) => {
      const { purge } = parseOptions(DeleteOptionsSchema, raw);
      await withMonitors(async (s) => {
        await deleteMonitor(s, id, purge);
        console.log(`monitor ${id} deleted${purge ? ' with its answers and metrics' : '; its answers and metrics are kept'}`);
      });
    });
}
