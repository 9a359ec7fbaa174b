import { DefaultLogger, type LogEntry, type LogLevel, type LogMetadata, Runtime } from '@temporalio/worker';
import { jsonLogLine } from './json-log';

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

/** `text`: the SDK's own format, for a terminal; `json`: one object a line, for a log collector. */
export const LOG_FORMATS = ['text', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface WorkerRuntimeOptions {
  format?: LogFormat;
  /**
   * `host:port` where the SDK's core serves its own Prometheus `/metrics` (task latencies,
   * slots, polls, sticky cache…). A server of its own, in Rust: merging it into our
   * endpoint would mean scraping it and re-serving the text, for no gain over a second target.
   */
  prometheusBindAddress?: string;
}

/** Installs the worker runtime's logger (and metrics) once per process; a later call keeps the first. */
export function installWorkerRuntime(level: LogLevel, options: WorkerRuntimeOptions = {}): void {
  const telemetryOptions = options.prometheusBindAddress
    ? { metrics: { prometheus: { bindAddress: options.prometheusBindAddress, countersTotalSuffix: true } } }
    : {};
  const writeJson = (entry: LogEntry): void => void process.stderr.write(`${jsonLogLine(entry)}\n`);
  const logger = options.format === 'json' ? new CloroWorkerLogger(level, writeJson) : new CloroWorkerLogger(level);
  try {
    Runtime.install({ logger, telemetryOptions });
  } catch {
    // Already installed (another worker in this process): keep that logger.
  }
}
