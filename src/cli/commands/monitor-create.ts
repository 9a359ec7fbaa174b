import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { createMonitor, updateMonitor } from '../../monitors/manage';
import { type Monitor, parseMonitorFile } from '../../monitors/definition';
import { scheduleUiLink } from '../../temporal/links';
import { monitorScheduleId } from '../../../workflows/definitions';
import { UsageError } from '../handle-error';
import { withMonitors } from '../with-monitors';

export function monitorCreateCommand(): Command {
  return new Command('create')
    .description('validate a monitor file (YAML or JSON) and start its schedule')
    .argument('<file>', 'the monitor definition, e.g. examples/monitors/crm.yaml')
    .action(async (file: string) => {
      const monitor = await readMonitorFile(file);
      await withMonitors(async (s) => {
        await createMonitor(s, monitor);
        console.log(`monitor ${monitor.id} created: ${describeCadence(monitor)}`);
        console.log(`schedule: ${scheduleUiLink(s.uiUrl, s.cfg.temporal.namespace, monitorScheduleId(monitor.id))}`);
      });
    });
}

export function monitorUpdateCommand(): Command {
  return new Command('update')
    .description("replace a monitor's definition; its next runs use the new one")
    .argument('<file>', 'the monitor definition')
    .action(async (file: string) => {
      const monitor = await readMonitorFile(file);
      await withMonitors(async (s) => {
        await updateMonitor(s, monitor);
        console.log(`monitor ${monitor.id} updated: ${describeCadence(monitor)}`);
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
