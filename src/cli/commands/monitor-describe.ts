import { Command } from 'commander';
import { z } from 'zod';
import { describeMonitor } from '../../monitors/manage';
import { scheduleUiLink } from '../../temporal/links';
import { monitorScheduleId } from '../../../workflows/definitions';
import { formatRunLine } from '../monitor-print';
import { parseOptions } from '../parse-options';
import { withMonitors } from '../with-monitors';

const DescribeOptionsSchema = z.object({ json: z.boolean().default(false), runs: z.coerce.number().int().min(1).max(100).default(5) });

export function monitorDescribeCommand(): Command {
  return new Command('describe')
    .description('a monitor: its schedule (next runs, why it is paused), its last runs and how they ended')
    .argument('<id>', 'the monitor id')
    .option('--runs <n>', 'how many recent runs to show', '5')
    .option('--json', 'print JSON instead of text')
    .action(async (id: string, raw: unknown) => {
      const opts = parseOptions(DescribeOptionsSchema, raw);
      await withMonitors(async (s) => {
        const d = await describeMonitor(s, id, opts.runs);
        if (opts.json) {
          console.log(JSON.stringify(d));
          return;
        }
        const m = d.monitor;
        console.log(`monitor ${m.id}: ${m.brand.name} vs ${m.competitors.map((c) => c.name).join(', ') || 'no competitors'}`);
        console.log(
          `  engines ${m.engines.join(', ')} · countries ${m.countries.join(', ')} · ${m.prompts.length} prompts · ${m.samples} samples`,
        );
        if (d.scheduleMissing)
          console.log('  schedule: missing (deleted in Temporal?) — `monitor update <file>` recreates nothing; delete and create again');
        else console.log(`  state: ${d.paused ? `PAUSED — ${d.note ?? 'no note'}` : 'active'}`);
        console.log(`  next runs: ${d.nextRuns.map((t) => t.toISOString()).join(', ') || '–'}`);
        console.log('  last runs:');
        for (const run of d.runs) console.log(`    ${formatRunLine(run)}`);
        if (d.runs.length === 0) console.log('    none yet (`monitor trigger` runs one now)');
        if (!d.scheduleMissing) console.log(`  ${scheduleUiLink(s.uiUrl, s.cfg.temporal.namespace, monitorScheduleId(m.id))}`);
      });
    });
}
