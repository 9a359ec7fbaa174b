import { DefaultLogger, type LogLevel, type LogMetadata, Runtime } from '@temporalio/worker';

/**
 * The SDK's logger minus one expected line: the `-api` worker runs activities only, and
 * the SDK warns about that on every start.
 */
class CloroWorkerLogger extends DefaultLogger {
  override log(level: LogLevel, message: string, meta?: LogMetadata): void {
    if (message.startsWith('No workflows registered')) return;
    super.log(level, message, meta);
  }
}

/** Installs the worker runtime's logger once per process; a later call keeps the first. */
export function installWorkerRuntime(level: LogLevel): void {
  try {
    Runtime.install({ logger: new CloroWorkerLogger(level) });
  } catch {
    // Already installed (another worker in this process): keep that logger.
  }
}
