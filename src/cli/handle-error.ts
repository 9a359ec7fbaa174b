/**
 * The one place the CLI turns an error into what a person reads: one line per problem,
 * a hint where we have one, and the exit code. Only the CLI layer sets exit codes.
 */
import { CommanderError } from 'commander';
import { ZodError } from 'zod';
import { CloroError } from '../cloro/errors';
import { ConfigError, formatZodError } from '../config';
import { MonitorError } from '../monitors/errors';

/** Exit codes: 1 = the operation failed, 2 = the command line or configuration is wrong. */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A problem the user caused and can fix with different flags or input. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export function handleError(err: unknown): number {
  if (err instanceof CommanderError) {
    // commander already printed its own message (unknown option, missing argument, --help)
    return err.exitCode === 0 ? 0 : EXIT_USAGE;
  }
  if (err instanceof UsageError || err instanceof ConfigError || err instanceof MonitorError) {
    console.error(`error: ${err.message}`);
    if (err instanceof UsageError && err.hint) console.error(`hint: ${err.hint}`);
    return EXIT_USAGE;
  }
  if (err instanceof ZodError) {
    console.error(`error: ${formatZodError(err)}`);
    return EXIT_USAGE;
  }
  if (err instanceof CloroError) {
    console.error(`error: cloro ${err.code}${err.status ? ` (HTTP ${err.status})` : ''}: ${err.message}`);
    return EXIT_FAILURE;
  }
  console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
  if (process.env.DEBUG) console.error(err);
  return EXIT_FAILURE;
}
