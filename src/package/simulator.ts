/** `cloro-temporal/simulator`: the local cloro for tests. Placeholder until the simulator entry lands. */
export {
  /** Builds the simulator as a Fastify app, without listening (for `app.inject()` tests). */
  buildSimulator,
  /** Starts the simulator on a port (0 = any free one) and answers its URL. */
  startSimulator,
  /** A listening simulator: its URL, its engine and `close()`. */
  type RunningSimulator,
  /** The simulator's options: port, plan concurrency, processing times, time scale, faults, … */
  type SimulatorOptionsInput,
} from '../simulator';
