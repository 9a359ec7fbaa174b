/** `cloro-temporal/simulator`: the local cloro for tests. Placeholder until the simulator entry lands. */
export { buildSimulator, startSimulator, type RunningSimulator, type SimulatorOptionsInput } from '../simulator';
