import { Command } from 'commander';
import { triggerMonitor } from '../../monitors/manage';
import { withMonitors } from '../with-monitors';

export function monitorTriggerCommand(): Command {
  return new Command('trigger')
    .description('run a monitor now (after the run still going, if one is)')
    .argument('<id>', 'the monitor id')
    .action(async (id: string) => {
      await withMonitors(async (s) => {
        await triggerMonitor(s, id);
        console.log(`monitor ${id}: a run was started (\`monitor describe ${id}\` shows it)`);
      });
    });
}
