/**
 * The org's credit balance. Create charges nothing, but it must fit in what is left
 * after the tasks already waiting or running are paid for: cloro only promises to check
 * "enough credits for the task", and counting outstanding tasks is the reading that never
 * lets a balance go negative. COMPLETED settles at the price, FAILED and cancelled tasks
 * release their reservation. The balance refills when the cycle ends.
 */
import type { z } from 'zod';
import type { CreditsBalanceSchema } from '../cloro/schemas';
import type { Clock } from './clock';

export type CreditBalance = z.input<typeof CreditsBalanceSchema>;

export class CreditLedger {
  private remaining: number;
  private reserved = 0;
  private cycleEndsAt: number;

  constructor(
    private readonly clock: Clock,
    private readonly perCycle: number,
    private readonly cycleMs: number,
  ) {
    this.remaining = perCycle;
    this.cycleEndsAt = clock.now() + cycleMs;
  }

  /** What a new task may still spend. */
  available(): number {
    this.rollCycle();
    return this.remaining - this.reserved;
  }

  reserve(amount: number): void {
    this.reserved += amount;
  }

  release(amount: number): void {
    this.reserved = Math.max(0, this.reserved - amount);
  }

  /** Turns a reservation into a charge. */
  charge(reserved: number, amount: number): void {
    this.rollCycle();
    this.release(reserved);
    this.remaining -= amount;
  }

  balance(): CreditBalance {
    this.rollCycle();
    const cycleResetsAt = new Date(this.clock.toWall(this.cycleEndsAt)).toISOString();
    return { remaining: this.remaining, perCycle: this.perCycle, cycleResetsAt };
  }

  // Lazily, on every read: no timer needed for a month-long cycle.
  private rollCycle(): void {
    const now = this.clock.now();
    if (now < this.cycleEndsAt) return;
    this.remaining = this.perCycle;
    this.cycleEndsAt += Math.ceil((now - this.cycleEndsAt + 1) / this.cycleMs) * this.cycleMs;
  }
}
