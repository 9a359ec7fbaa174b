#!/usr/bin/env node
/** Assembles the commands; each lives in its own file under commands/. */
import { Command } from 'commander';
import { handleError } from './handle-error';

export function buildProgram(): Command {
  const program = new Command('cloro-temporal')
    .description("Run cloro's async AI-prompt API on Temporal")
    .showHelpAfterError()
    .exitOverride();
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
