/**
 * When a prompt workflow next reads its task from cloro. Polling starts short and grows to a
 * cap (every wake-up costs history events); with a webhook the read is only a safety net in
 * case every delivery is lost, so it starts long. Pure: unit-tested without Temporal.
 */
import type { PromptTiming } from './definitions';

export class PollSchedule {
  private delay: number;
  private readonly max: number;

  constructor(
    private readonly timing: Pick<PromptTiming, 'pollInitialMs' | 'pollFactor' | 'pollMaxMs' | 'safetyPollMs' | 'safetyPollMaxMs'>,
    webhook: boolean,
  ) {
    this.delay = webhook ? timing.safetyPollMs : timing.pollInitialMs;
    this.max = webhook ? timing.safetyPollMaxMs : timing.pollMaxMs;
  }

  /** How long to wait before the next read, never past the deadline. */
  next(remainingMs: number): number {
    return Math.min(this.delay, remainingMs);
  }

  /** A read that found nothing new (or failed): wait longer next time, up to the cap. */
  backOff(): void {
    this.delay = Math.min(this.delay * this.timing.pollFactor, this.max);
  }
}
