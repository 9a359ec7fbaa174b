/**
 * Stops what was started, in reverse order, each step bounded in time. A step that fails
 * or hangs is reported and skipped: one stuck piece must not keep the others running.
 */
export interface TeardownReport {
  step: string;
  ok: boolean;
  ms: number;
  error?: string;
}

export class Teardown {
  private readonly steps: Array<{ name: string; run: () => Promise<unknown>; timeoutMs: number }> = [];
  private running: Promise<TeardownReport[]> | undefined;

  constructor(
    private readonly defaultTimeoutMs = 10_000,
    private readonly onProblem: (message: string) => void = () => undefined,
  ) {}

  /** Registers a step; steps run last-registered first. */
  add(name: string, run: () => Promise<unknown>, timeoutMs = this.defaultTimeoutMs): void {
    this.steps.push({ name, run, timeoutMs });
  }

  /** Runs every step once; later calls return the same promise. Never rejects. */
  run(): Promise<TeardownReport[]> {
    this.running ??= (async () => {
      const reports: TeardownReport[] = [];
      for (const step of [...this.steps].reverse()) reports.push(await this.runStep(step.name, step.run, step.timeoutMs));
      return reports;
    })();
    return this.running;
  }

  private async runStep(name: string, run: () => Promise<unknown>, timeoutMs: number): Promise<TeardownReport> {
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      const outcome = await Promise.race([run().then(() => 'done' as const), timeout]);
      if (outcome === 'timeout') {
        const error = `did not finish within ${timeoutMs} ms; moving on`;
        this.onProblem(`stopping ${name}: ${error}`);
        return { step: name, ok: false, ms: Date.now() - started, error };
      }
      return { step: name, ok: true, ms: Date.now() - started };
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      this.onProblem(`stopping ${name}: ${error}`);
      return { step: name, ok: false, ms: Date.now() - started, error };
    } finally {
      clearTimeout(timer);
    }
  }
}
