import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import { loadConfig } from '../../config';
import { importFileStore, importPromptSets, type UnreadableFile } from '../../store/import-files';
import { UsageError } from '../handle-error';
import { parseOptions } from '../parse-options';
import { withStore } from '../with-store';

const ImportOptionsSchema = z.object({ json: z.boolean().default(false) });

export function storeImportCommand(): Command {
  return new Command('import')
    .description("copy an earlier version's JSON-file results (and the prompt sets beside them) into the database; safe to repeat")
    .argument('[dir]', 'the results directory the earlier version wrote (default: <state dir>/results)')
    .option('--json', 'print the counts as JSON')
    .action(async (dir: string | undefined, raw: unknown) => {
      const opts = parseOptions(ImportOptionsSchema, raw);
      const cfg = loadConfig();
      const resultsDir = path.resolve(dir ?? path.join(cfg.home, 'results'));
      if (!(await isDirectory(resultsDir)))
        throw new UsageError(
          `no directory ${resultsDir}`,
          'pass the results directory an earlier version wrote, e.g. .cloro-temporal/results',
        );
      const promptSetsDir = path.join(path.dirname(resultsDir), 'prompt-sets');
      const { records, promptSets, where } = await withStore(async ({ results, store, where }) => {
        const records = await importFileStore(results, resultsDir);
        const promptSets = (await isDirectory(promptSetsDir)) ? await importPromptSets(store.db, promptSetsDir) : undefined;
        return { records, promptSets, where };
      }, cfg);
      const unreadable: UnreadableFile[] = [
        ...records.unreadable.map((u) => ({ ...u, file: path.join(resultsDir, u.file) })),
        ...(promptSets?.unreadable ?? []).map((u) => ({ ...u, file: path.join(promptSetsDir, u.file) })),
      ];
      if (opts.json) {
        console.log(JSON.stringify({ records: { ...records, unreadable: undefined }, promptSets: promptSets ?? null, unreadable }));
      } else {
        console.log(`into the ${where}:`);
        console.log(
          `  records from ${resultsDir}: ${records.imported} imported, ${records.updated} updated, ${records.unchanged} already there`,
        );
        if (promptSets)
          console.log(
            `  prompt sets from ${promptSetsDir}: ${promptSets.imported.length} imported, ${promptSets.present.length} already there`,
          );
        for (const { file, reason } of unreadable) console.error(`unreadable: ${file}: ${reason}`);
      }
      if (unreadable.length > 0)
        throw new Error(`${unreadable.length} ${unreadable.length === 1 ? 'file was' : 'files were'} not imported`);
    });
}

async function isDirectory(dir: string): Promise<boolean> {
  return (await stat(dir).catch(() => undefined))?.isDirectory() ?? false;
}
