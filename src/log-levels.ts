/** pino's levels: the one list the simulator's and the bridge's options and `--log-level` flags use. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
/** For a service that may stay quiet (the simulator is silent by default inside the dev stack). */
export const LOG_LEVELS_OR_SILENT = ['silent', ...LOG_LEVELS] as const;
