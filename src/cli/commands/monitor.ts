import { Command } from 'commander';
import { monitorBackfillCommand } from './monitor-backfill';
import { monitorCreateCommand, monitorUpdateCommand } from './monitor-create';
import { monitorDeleteCommand } from './monitor-delete';
import { monitorDescribeCommand } from './monitor-describe';
import { monitorListCommand } from './monitor-list';
import { monitorPauseCommand, monitorUnpauseCommand } from './monitor-pause';
import { monitorRecomputeCommand } from './monitor-recompute';
import { monitorTriggerCommand } from './monitor-trigger';

export function monitorCommand(): Command {
  const monitor = new Command('monitor')
    .description('brand monitors: a definition file run on a Temporal Schedule, scored run by run')
    .enablePositionalOptions();
  for (const sub of [
    monitorCreateCommand(),
    monitorUpdateCommand(),
    monitorListCommand(),
    monitorDescribeCommand(),
    monitorPauseCommand(),
    monitorUnpauseCommand(),
    monitorTriggerCommand(),
    monitorBackfillCommand(),
    monitorDeleteCommand(),
    monitorRecomputeCommand(),
  ]) {
    monitor.addCommand(sub.passThroughOptions());
  }
  return monitor;
}
