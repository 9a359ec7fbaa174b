import { Command } from 'commander';
import { z } from 'zod';
import { type MonitorSession, pauseMonitor, unpauseMonitor } from '../../monitors/manage';
import { parseOptions } from '../parse-options';
import { withMonitors } from '../with-monitors';

const NoteSchema = z.object({ note: z.string().max(500).optional() });

export const monitorPauseCommand = (): Command =>
  noteCommand('pause', "stop a monitor's runs until unpaused (a run already going finishes)", pauseMonitor, 'paused');

export const monitorUnpauseCommand = (): Command =>
  noteCommand('unpause', "resume a monitor's runs (after topping up credits or raising its budget)", unpauseMonitor, 'unpaused');

/** Pause and unpause: a schedule state change with a note that `describe` and the Web UI show. */
function noteCommand(
  name: string,
  description: string,
  change: (s: MonitorSession, id: string, note: string) => Promise<void>,
  done: string,
): Command {
  return new Command(name)
    .description(description)
    .argument('<id>', 'the monitor id')
    .option('--note <text>', 'why (shown by describe and the Web UI)')
    .action(async (id: string, raw: unknown) => {
      const { note } = parseOptions(NoteSchema, raw);
      await withMonitors(async (s) => {
        await change(s, id, note ?? `${done} from the CLI`);
        console.log(`monitor ${id} ${done}`);
      });
    });
}
