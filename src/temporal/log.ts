/**
 * The launcher reports what it does through this small interface; a pino logger fits it,
 * and so does `console`. Launcher messages never contain secrets.
 */
export interface LauncherLog {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
}

export const silentLog: LauncherLog = { debug: () => undefined, info: () => undefined, warn: () => undefined };
