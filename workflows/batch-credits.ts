/**
 * Stops a batch before it spends more than its budget or cloro's balance. cloro charges at
 * completion, so what is in flight is already spoken for: the check counts it at its
 * estimated price (cloro's price table, passed in as data) on top of what was charged.
 */
import type { BatchStopReason } from './definitions';

export interface Spending {
  creditsCharged: number;
  inFlightCredits: number;
}

export class CreditGuard {
  private remaining: number | null = null;
  private chargedAtReading = 0;
  private readAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly budget: number | null,
    private readonly intervalMs: number,
  ) {}

  isStale(now: number): boolean {
    return now - this.readAt >= this.intervalMs;
  }

  observe(remaining: number, spending: Spending, now: number): void {
    this.remaining = remaining;
    this.chargedAtReading = spending.creditsCharged;
    this.readAt = now;
  }

  /** Why the next item (estimated at `estimate` credits) must not be submitted, or null when it may. */
  check(estimate: number, spending: Spending): Exclude<BatchStopReason, 'cancelled'> | null {
    const committed = spending.creditsCharged + spending.inFlightCredits + estimate;
    if (this.budget !== null && committed > this.budget) return 'budget';
    if (this.remaining !== null) {
      const balanceNow = this.remaining - (spending.creditsCharged - this.chargedAtReading);
      if (balanceNow - spending.inFlightCredits - estimate < 0) return 'credits';
    }
    return null;
  }
}
