import { Command } from 'commander';
import { schemaVersion } from '../../store/info';
import { withStore } from '../with-store';

export function storeMigrateCommand(): Command {
  return new Command('migrate')
    .description('bring the database to the latest schema (every command does so on opening) and print its version')
    .action(async () => {
      const started = new Date();
      // Opening the store applies what is pending; the migrations' own timestamps tell which ran now.
      await withStore(async ({ store, where }) => {
        const { version, applied } = await schemaVersion(store.db);
        const now = applied.filter((m) => m.executedAt >= started).map((m) => m.name);
        console.log(`${where}: schema ${version ?? 'none'}; ${now.length > 0 ? `applied ${now.join(', ')}` : 'already up to date'}`);
      });
    });
}
