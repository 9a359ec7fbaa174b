/** Stand-ins for what the Temporal launcher talks to: a log that keeps its lines, and shell scripts as executables. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { LauncherLog } from '../../src/temporal/log';

/** A LauncherLog whose lines ("debug …", "info …", "warn …") a test can read back. */
export function recordingLog(): LauncherLog & { lines: string[] } {
  const lines: string[] = [];
  return { lines, debug: (m) => lines.push(`debug ${m}`), info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`) };
}

/** Writes an executable `sh` script (creating its directory) and returns its path. */
export async function executable(file: string, body = 'echo temporal version 0.0.0-fake'): Promise<string> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}
