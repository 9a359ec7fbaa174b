import { Command } from 'commander';
import { storeImportCommand } from './store-import';
import { storeInfoCommand } from './store-info';
import { storeMigrateCommand } from './store-migrate';

export function storeCommand(): Command {
  const store = new Command('store').description('the results database: import the older file store, apply migrations, show what it holds');
  // exitOverride here: the program sets it one level deep only, and errors must reach handleError
  for (const command of [storeImportCommand(), storeMigrateCommand(), storeInfoCommand()])
    store.addCommand(command.exitOverride().showHelpAfterError('(run with --help for usage)'));
  return store;
}
