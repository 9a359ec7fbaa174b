import { Command } from 'commander';
import { z } from 'zod';
import { pauseMonitor, unpauseMonitor } from '../../monitors/manage';
import { parseOptions } from '../parse-options';
import { withMonitors } from '../with-monitors';

const NoteSchema = z.object({ note: z.string().max(500).optional() });

export function monitorPauseCommand(): Command {
  return new Command('pause')
    .description("stop a monitor's runs until unpaused (a run already going finishes)")
    .argument('<id>', 'the monitor id')
    .option('--note <text>', 'why (shown by describe and the Web UI)')
    .action(async (id: string, raw: unknown) => {
      const { note } = parseOptions(NoteSchema, raw);
      await withMonitors(async (s) => {
        await pauseMonitor(s, id, note ?? 'paused from the CLI');
        console.log(`monitor ${id} paused`);
      });
    });
}

export function monitorUnpauseCommand(): Command {
  return new Command('unpause')
    .description("resume a monitor's runs (after topping up credits or raising its budget)")
    .argument('<id>', 'the monitor id')
    .option('--note <text>', 'why')
    .action(async (id: string, raw: unknown) => {
      const { note } = parseOptions(NoteSchema, raw);
      await withMonitors(async (s) => {
        await unpauseMonitor(s, id, note ?? 'unpaused from the CLI');
        console.log(`monitor ${id} unpaused`);
      });
    });
}
