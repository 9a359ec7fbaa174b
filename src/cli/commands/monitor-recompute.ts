import { Command } from 'commander';
import { recomputeMonitor } from '../../monitors/manage';
import { withMonitors } from '../with-monitors';

export function monitorRecomputeCommand(): Command {
  return new Command('recompute')
    .description("re-score a monitor's stored answers with its current definition (after changing aliases or domains)")
    .argument('<id>', 'the monitor id')
    .action(async (id: string) => {
      await withMonitors(async (s) => {
        const { runs, problems } = await recomputeMonitor(s, id);
        console.log(
          `monitor ${id}: ${runs} run${runs === 1 ? '' : 's'} re-scored${problems ? `; ${problems} stored answers did not parse and were left out` : ''}`,
        );
      });
    });
}
