/** The local cloro: build it in-process (tests) or start it on a port (CLI, demo). */
export { buildSimulator } from './app';
export { startSimulator, type RunningSimulator } from './server';
export { Simulator, type RequestContext, type SimulatorDeps, type SimulatorEvents } from './engine';
export { SimulatorOptionsSchema, DEFAULT_PRICES, type SimulatorOptions, type SimulatorOptionsInput } from './options';
export { FaultsSchema, type FaultsInput, type FaultRuleSnapshot } from './faults';
export type { StatsSnapshot, WebhookAttemptRecord } from './stats';
export { ScaledClock, type Clock, type Timer } from './clock';
export { SimError } from './sim-error';
