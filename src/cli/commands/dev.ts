/**
 * `cloro-temporal dev`: the embedded stack (Temporal + Web UI, simulator, bridge, worker),
 * the demo (a brand monitor and two runs, src/app/demo.ts), then serving until SIGINT/SIGTERM
 * with the monitor's schedule live. `--once` exits after the demo: 0 when both runs completed
 * every prompt, 1 otherwise.
 */
import path from 'node:path';
import { installWorkerRuntime } from '../../temporal/runtime';
import { Command } from 'commander';
import { z } from 'zod';
import { DEFAULT_DEMO_TIMEOUT_MS, formatDemoReport, runDemo } from '../../app/demo';
import {
  DEV_PLAN_CONCURRENCY,
  DEV_SIMULATOR_SEED,
  DEV_TIME_SCALE,
  describeDevStack,
  startDevStack,
  type DevStack,
} from '../../app/dev-stack';
import { loadConfig } from '../../config';
import type { LauncherLog } from '../../temporal/log';
import { EXIT_FAILURE } from '../handle-error';
import { parseOptions } from '../parse-options';

const port = z.coerce.number().int().min(0).max(65535);

const DevOptionsSchema = z.object({
  once: z.boolean().default(false),
  demo: z.boolean().default(true),
  temporalPort: port.min(1),
  uiPort: port.optional(),
  bridgePort: port.optional(),
  simulatorPort: port,
  timeScale: z.coerce.number().positive(),
  concurrency: z.coerce.number().int().min(1),
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1),
  demoTimeout: z.coerce.number().positive(),
  verbose: z.boolean().default(false),
});

export function devCommand(): Command {
  return new Command('dev')
    .description(
      'run the embedded stack (Temporal + Web UI, simulator, bridge, worker) and a demo brand monitor with two runs and their report; Ctrl-C stops everything',
    )
    .option('--once', 'exit after the demo (0 when both runs completed every prompt)')
    .option('--no-demo', 'only run the stack')
    .option('--temporal-port <n>', 'local Temporal port: used if a server answers there, else the embedded one listens there', '7233')
    .option('--ui-port <n>', 'Web UI port of the embedded server (default: Temporal port + 1000 when free)')
    .option('--bridge-port <n>', 'bridge port (default: BRIDGE_PORT or 8787; a free port when taken)')
    .option('--simulator-port <n>', 'simulator port (a free port when taken; 0 = any)', '4010')
    .option('--time-scale <x>', 'simulator speed: cloro-time ms per real ms', String(DEV_TIME_SCALE))
    .option('--concurrency <n>', 'simulator plan concurrency', String(DEV_PLAN_CONCURRENCY))
    .option('--seed <n>', "simulator seed: its answers, so the demo's figures, are the same for the same seed", String(DEV_SIMULATOR_SEED))
    .option('--demo-timeout <s>', 'seconds the demo waits for its runs', String(DEFAULT_DEMO_TIMEOUT_MS / 1000))
    .option('--verbose', 'log every start-up step')
    .action(async (raw: unknown) => {
      const opts = parseOptions(DevOptionsSchema, raw);
      const cfg = loadConfig();
      const log = stderrLog(opts.verbose);
      // The worker's own INFO lines would drown the demo's output; warnings and errors still show.
      installWorkerRuntime('WARN');

      // Listen before starting: once the worker exists, its runtime would take SIGINT for itself.
      const shutdown = onShutdownSignal();
      const started = Date.now();
      const stack = await startDevStack(cfg, {
        temporalPort: opts.temporalPort,
        ...(opts.uiPort !== undefined ? { uiPort: opts.uiPort } : {}),
        ...(opts.bridgePort !== undefined ? { bridgePort: opts.bridgePort } : {}),
        simulatorPort: opts.simulatorPort,
        timeScale: opts.timeScale,
        concurrency: opts.concurrency,
        seed: opts.seed,
        log,
      });
      let demoOk = true;
      try {
        console.log(`cloro-temporal dev: ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        for (const line of describeDevStack(stack.addresses, stack.stateFile)) console.log(`  ${line}`);
        if (opts.demo && !shutdown.isSignalled()) {
          // The demo stops waiting on Ctrl-C, and when the worker dies (nothing would finish).
          const stopDemo = new AbortController();
          shutdown.signal.addEventListener('abort', () => stopDemo.abort(), { once: true });
          stack.workerDone.finally(() => stopDemo.abort()).catch(() => undefined);
          demoOk = await demo(stack, path.join(cfg.home, 'reports'), opts.demoTimeout * 1000, stopDemo.signal);
        }
        if (!opts.once && !shutdown.isSignalled()) {
          console.log(
            `\nServing: the worker polls "${stack.addresses.taskQueue}"${opts.demo ? ' and the demo monitor runs daily' : ''}; submit from another terminal with \`npm run cli -- submit …\`. Ctrl-C stops everything.`,
          );
          await Promise.race([shutdown.signalled, stack.workerDone]);
        }
      } finally {
        if (shutdown.isSignalled()) console.log('\nstopping…');
        await stack.stop();
      }
      // A worker that failed on its own reaches handleError (exit 1); a signal is a clean stop.
      if (!shutdown.isSignalled()) await stack.workerDone;
      if (opts.once && !shutdown.isSignalled() && !demoOk) process.exitCode = EXIT_FAILURE;
    });
}

/** Runs the demo and prints its report; false when a run did not complete every prompt. A signal cuts it short. */
async function demo(stack: DevStack, reportsDir: string, timeoutMs: number, signal: AbortSignal): Promise<boolean> {
  const { addresses } = stack;
  if (!addresses.cloro.simulator) console.log('\nThe demo runs against cloro itself and spends credits (about 330); --no-demo skips it.');
  console.log('');
  const report = await runDemo({ session: stack.monitors, reportsDir, timeoutMs, signal });
  if (signal.aborted) return false;
  for (const line of formatDemoReport(report, { uiUrl: addresses.temporal.uiUrl, namespace: addresses.temporal.namespace }))
    console.log(line);
  return report.ok;
}

/**
 * SIGINT/SIGTERM stop the stack (the action's finally) and the command exits 0. A second
 * signal while stopping gives up waiting; the embedded Temporal dies with us through its watchdog.
 */
function onShutdownSignal() {
  const stopping = new AbortController();
  const signalled = new Promise<void>((resolve) => stopping.signal.addEventListener('abort', () => resolve(), { once: true }));
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping.signal.aborted) {
      console.error(`${signal} again: exiting without waiting`);
      process.exit(130);
    }
    stopping.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { signal: stopping.signal, signalled, isSignalled: () => stopping.signal.aborted };
}

function stderrLog(verbose: boolean): LauncherLog {
  return {
    debug: (m) => verbose && console.error(`· ${m}`),
    info: (m) => console.error(`· ${m}`),
    warn: (m) => console.error(`warning: ${m}`),
  };
}
