import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { createMonitor, type MonitorSession, updateMonitor } from '../../monitors/manage';
import { type Monitor, parseMonitorFile } from '../../monitors/definition';
import { scheduleUiLink } from '../../temporal/links';
import { monitorScheduleId } from '../../../workflows/definitions';
import { UsageError } from '../handle-error';
import { withMonitors } from '../with-monitors';

export const monitorCreateCommand = (): Command =>
  fileCommand('create', 'validate a monitor file (YAML or JSON) and start its schedule', createMonitor, 'created');

export const monitorUpdateCommand = (): Command =>
  fileCommand('update', "replace a monitor's definition; its next runs use the new one", updateMonitor, 'updated');

/** Create and update: a definition file, validated whole before anything changes. */
function fileCommand(
  name: string,
  description: string,
  apply: (s: MonitorSession, monitor: Monitor) => Promise<void>,
  done: string,
): Command {
  return new Command(name)
    .description(description)
    .argument('<file>', 'the monitor definition, e.g. examples/monitors/crm.yaml')
    .action(async (file: string) => {
      const monitor = await readMonitorFile(file);
      await withMonitors(async (s) => {
        await apply(s, monitor);
        console.log(`monitor ${monitor.id} ${done}: ${describeCadence(monitor)}`);
        console.log(`schedule: ${scheduleUiLink(s.uiUrl, s.cfg.temporal.namespace, monitorScheduleId(monitor.id))}`);
      });
    });
}

/** Every problem of a bad file at once, by path; nothing is created. */
async function readMonitorFile(file: string): Promise<Monitor> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  });
  const parsed = parseMonitorFile(text, path.basename(file));
  if (!parsed.ok) {
    const n = parsed.problems.length;
    throw new UsageError(`${file} has ${n} problem${n === 1 ? '' : 's'}; nothing was created:\n  ${parsed.problems.join('\n  ')}`);
  }
  return parsed.monitor;
}

function describeCadence(m: Monitor): string {
  const cells = m.prompts.length * m.engines.length * m.countries.length;
  const when = m.cadence.cron ? `cron "${m.cadence.cron}" (${m.cadence.timezone})` : `every ${m.cadence.every ?? '1d'}`;
  return `${m.prompts.length} prompts × ${m.engines.length} engines × ${m.countries.length} countries = ${cells} cells × ${m.samples} samples, ${when}, budget ${m.budgetPerRun} credits a run`;
}
