import { Command } from 'commander';
import { z } from 'zod';
import { listMonitors } from '../../monitors/manage';
import { parseOptions } from '../parse-options';
import { withMonitors } from '../with-monitors';
import { formatRunLine } from '../monitor-print';

const ListOptionsSchema = z.object({ json: z.boolean().default(false) });

export function monitorListCommand(): Command {
  return new Command('list')
    .description('every monitor: its brand, state, next run and last run')
    .option('--json', 'print JSON instead of text')
    .action(async (raw: unknown) => {
      const opts = parseOptions(ListOptionsSchema, raw);
      await withMonitors(async (s) => {
        const all = await listMonitors(s);
        if (opts.json) {
          console.log(JSON.stringify(all));
          return;
        }
        if (all.length === 0) console.log('no monitors yet: `cloro-temporal monitor create <file>`');
        for (const m of all) {
          const state = m.scheduleMissing ? 'NO SCHEDULE' : m.paused ? 'PAUSED' : 'ACTIVE';
          const next = m.nextRuns[0]?.toISOString() ?? '–';
          console.log(
            `${m.monitor.id}  ${m.monitor.brand.name}  ${state}  next ${next}  last ${m.runs[0] ? formatRunLine(m.runs[0]) : '–'}`,
          );
        }
      });
    });
}
