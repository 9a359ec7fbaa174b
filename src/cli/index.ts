#!/usr/bin/env node
/** Assembles the commands; each lives in its own file under commands/. */
import { Command } from 'commander';
import { version } from '../../package.json';
import { answersCommand } from './commands/answers';
import { batchCommand } from './commands/batch';
import { bridgeCommand } from './commands/bridge';
import { codecServerCommand } from './commands/codec-server';
import { devCommand } from './commands/dev';
import { monitorCommand } from './commands/monitor';
import { reportCommand } from './commands/report';
import { resultCommand } from './commands/result';
import { simulatorCommand } from './commands/simulator';
import { storeCommand } from './commands/store';
import { submitCommand } from './commands/submit';
import { temporalSetupCommand } from './commands/temporal-setup';
import { workerCommand } from './commands/worker';
import { handleError } from './handle-error';

export function buildProgram(): Command {
  const program = new Command('cloro-temporal')
    .description("Run cloro's async AI-prompt API on Temporal")
    .version(version)
    // Needed (here and on `batch`) so that `batch status <id> --json` reaches `status`, not `batch`.
    .enablePositionalOptions();
  for (const command of [
    devCommand(),
    submitCommand(),
    batchCommand(),
    resultCommand(),
    answersCommand(),
    monitorCommand(),
    reportCommand(),
    storeCommand(),
    workerCommand(),
    bridgeCommand(),
    codecServerCommand(),
    temporalSetupCommand(),
    simulatorCommand(),
  ]) {
    program.addCommand(command);
  }
  // addCommand() does not pass these settings down: errors must reach handleError, not exit().
  const all = (command: Command): Command[] => [command, ...command.commands.flatMap(all)];
  for (const command of all(program)) command.exitOverride().showHelpAfterError('(run with --help for usage)');
  return program;
}

if (require.main === module) {
  buildProgram()
    .parseAsync(process.argv)
    .then(
      () => undefined,
      (err: unknown) => {
        process.exitCode = handleError(err);
      },
    );
}
