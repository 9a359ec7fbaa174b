import { Command } from 'commander';
import { z } from 'zod';
import { schemaVersion, tableCounts } from '../../store/info';
import { parseOptions } from '../parse-options';
import { withStore } from '../with-store';

const InfoOptionsSchema = z.object({ json: z.boolean().default(false) });

export function storeInfoCommand(): Command {
  return new Command('info')
    .description('which database the CLI uses, its schema version and the rows in each table')
    .option('--json', 'print JSON instead of text')
    .action(async (raw: unknown) => {
      const opts = parseOptions(InfoOptionsSchema, raw);
      await withStore(async ({ store, where }) => {
        const [{ version }, counts] = await Promise.all([schemaVersion(store.db), tableCounts(store.db)]);
        if (opts.json) {
          console.log(JSON.stringify({ engine: store.engine, where, schemaVersion: version, counts }));
          return;
        }
        console.log(`engine   ${store.engine}`);
        console.log(`where    ${where}`);
        console.log(`schema   ${version ?? 'none'}`);
        for (const [table, n] of Object.entries(counts)) console.log(`  ${table.padEnd(17)} ${n}`);
      });
    });
}
