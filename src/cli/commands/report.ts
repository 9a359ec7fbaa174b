import path from 'node:path';
import { Command, Option } from 'commander';
import { z } from 'zod';
import { reportInput } from '../../monitors/report-input';
import { renderReport, writeHtmlReport } from '../../reports';
import { parseOptions } from '../parse-options';
import { withMonitors } from '../with-monitors';

const ReportOptionsSchema = z.object({
  run: z.string().min(1).default('latest'),
  last: z.coerce.number().int().min(1).max(1000).default(30),
  format: z.enum(['md', 'html', 'json']).default('md'),
  out: z.string().optional(),
});

export function reportCommand(): Command {
  return new Command('report')
    .description(
      "a monitor's brand metrics: tables per engine and country, changes that are real, and a self-contained HTML report with charts",
    )
    .argument('<monitorId>', 'the monitor id')
    .option('--run <id>', '`latest` or a run id', 'latest')
    .option('--last <n>', 'runs to chart, ending at the chosen one', '30')
    .addOption(
      new Option('--format <format>', 'md prints tables and writes the HTML file; html only writes it; json prints the data')
        .choices(['md', 'html', 'json'])
        .default('md'),
    )
    .option('--out <dir>', 'where the HTML file goes (default <state dir>/reports)')
    .action(async (monitorId: string, raw: unknown) => {
      const opts = parseOptions(ReportOptionsSchema, raw);
      await withMonitors(async (s) => {
        const { input, runId } = await reportInput(s.monitors, monitorId, { run: opts.run, last: opts.last });
        if (opts.format === 'json') {
          console.log(await renderReport(input, 'json'));
          return;
        }
        if (opts.format === 'md') console.log(await renderReport(input, 'md'));
        const file = await writeHtmlReport(
          opts.out ?? path.join(s.cfg.home, 'reports'),
          monitorId,
          runId,
          await renderReport(input, 'html'),
        );
        console.log(`HTML report: ${file}`);
      });
    });
}
