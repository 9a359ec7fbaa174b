/** Keeps bundleWorkflowCode quiet in tests: only its errors reach the console. */
export const quietBundlerLogger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (message: string, meta?: Record<string, unknown>) => console.error(message, meta),
  log: () => undefined,
};
