/**
 * `cloro-temporal/simulator`: a local cloro for your own tests, as stripe-mock is for
 * Stripe. Same routes, bodies, errors and behaviour as cloro (scheduler under plan
 * concurrency, credits, idempotency keys, FAILED tasks, signed webhooks with cloro's retry
 * schedule), a time-scale factor, fault rules and a plan concurrency you can change while it
 * runs, and stats.
 *
 * ```ts
 * const sim = await startSimulator({ seed: 1, timeScale: 1000 });
 * const client = new CloroClient({ apiKey: sim.apiKey, baseURL: sim.url });
 * sim.addFaults({ errors: { route: 'POST /v1/async/task', status: 503, count: 1 } });
 * // … run the code under test …
 * expect(sim.stats().creates.created).toBe(1);
 * await sim.close();
 * ```
 *
 * @packageDocumentation
 */
import type { FaultRuleSnapshot, FaultsInput } from '../simulator/faults';
import type { SimulatorOptionsInput } from '../simulator/options';
import { startSimulator as listen } from '../simulator/server';
import type { StatsSnapshot } from '../simulator/stats';

export type { FaultRuleSnapshot, FaultsInput } from '../simulator/faults';
export type { StatsSnapshot, WebhookAttemptRecord, WebhookOutcome } from '../simulator/stats';

/**
 * How the simulated cloro org behaves: every field is optional. `port` defaults to 0 (a free
 * port) here, unlike the CLI's 4010. See the simulator README for each knob.
 */
export type StartSimulatorOptions = SimulatorOptionsInput;

/** What any bearer key is when the simulator was started without `apiKey`: it accepts them all. */
export const ANY_API_KEY = 'sim_any_key';

/** A running simulator: where to reach it, the knobs to turn while it runs, and what it saw. */
export interface CloroSimulator {
  /** Base URL to give a cloro client (`baseURL`), e.g. `http://127.0.0.1:54321`. */
  readonly url: string;
  /** The key to send as `Authorization: Bearer …`: `apiKey` when one was set, else {@link ANY_API_KEY}. */
  readonly apiKey: string;
  /** cloro's `whsec_…` signing secret when `webhookSecret` was set: the bridge verifies webhooks with it. */
  readonly webhookSecret: string | undefined;
  /** The seed in use (random when none was given): start with it again to replay a run. */
  readonly seed: number;
  /**
   * Adds fault rules (one rule or a list per kind); each fires for its next `count` matching
   * events or with probability `rate`. Returns every active rule. Throws an Error naming each
   * bad field.
   */
  addFaults(faults: FaultsInput): FaultRuleSnapshot[];
  /** Removes every fault rule, those given at start included. */
  clearFaults(): void;
  /** The active fault rules, with how often each fired and how many firings are left. */
  faults(): FaultRuleSnapshot[];
  /**
   * The org changed plan: from now on at most `concurrency` tasks are PROCESSING, and
   * `GET /v1/async/status` reports that maximum. More slots start queued tasks at once; fewer
   * let running tasks finish and start no new one until fewer than `concurrency` run.
   * `reset()` goes back to the `concurrency` given at start. Throws an Error unless it is an
   * integer from 1 to 10,000.
   */
  setConcurrency(concurrency: number): void;
  /** Requests per route and status, creates per idempotency key, tasks, credits and every webhook attempt. */
  stats(): StatsSnapshot;
  /** Resolves once nothing is queued, processing or waiting to deliver a webhook. */
  idle(): Promise<void>;
  /** Back to the state right after start (same seed, the faults given at start), for the next test. */
  reset(): void;
  /** Stops timers, pending webhooks and the HTTP server. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts a simulator on `127.0.0.1` and a free port (unless `port` says otherwise).
 * Rejects with an Error naming each invalid option, or when the port is taken.
 */
export async function startSimulator(options: StartSimulatorOptions = {}): Promise<CloroSimulator> {
  const { url, sim, close } = await listen({ ...options, port: options.port ?? 0 });
  return {
    url,
    apiKey: sim.options.apiKey ?? ANY_API_KEY,
    webhookSecret: sim.options.webhookSecret,
    seed: sim.options.seed,
    addFaults: (faults) => sim.addFaults(faults),
    clearFaults: () => sim.clearFaults(),
    faults: () => sim.faults.list(),
    setConcurrency: (concurrency) => sim.setConcurrency(concurrency),
    stats: () => sim.stats(),
    idle: () => sim.idle(),
    reset: () => sim.reset(),
    close,
  };
}
