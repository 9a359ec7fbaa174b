/**
 * The statistics behind the brand metrics: a Wilson score interval for a proportion and a
 * pooled two-proportion z-test. Pure arithmetic, no dependencies, so it runs anywhere
 * (workflow code included).
 */
import type { Proportion } from './types';

/** The 97.5 % point of the standard normal: a two-sided 95 % interval. */
export const Z_95 = 1.959964;

// Numerical Recipes (2nd ed., §6.2) erfcc coefficients, highest power of t first.
const ERFC_COEFFICIENTS = [
  0.17087277, -0.82215223, 1.48851587, -1.13520398, 0.27886807, -0.18628806, 0.09678418, 0.37409196, 1.00002368, -1.26551223,
];

/**
 * Complementary error function, Numerical Recipes' Chebyshev fit (`erfcc`, 2nd ed. §6.2):
 * fractional error below 1.2e-7 everywhere, so tail p-values keep their relative precision.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly = ERFC_COEFFICIENTS.reduce((acc, c) => acc * t + c, 0);
  const value = t * Math.exp(-z * z + poly);
  return x >= 0 ? value : 2 - value;
}

/** Standard normal cumulative distribution function Φ(z). */
export function normalCdf(z: number): number {
  return Math.min(1, 0.5 * erfc(-z / Math.SQRT2));
}

/** Two-sided p-value of a standard normal statistic: P(|Z| ≥ |z|). */
export function twoSidedPValue(z: number): number {
  // The fit is 3e-8 above 1 at z = 0; a probability must not be.
  return Math.min(1, erfc(Math.abs(z) / Math.SQRT2));
}

/** `successes` out of `trials` with its Wilson score interval; rate and bounds are null when trials = 0. */
export function wilson(successes: number, trials: number, z = Z_95): Proportion {
  if (!Number.isInteger(successes) || !Number.isInteger(trials) || successes < 0 || trials < 0 || successes > trials) {
    throw new RangeError(`wilson: need integers 0 ≤ successes ≤ trials, got ${successes}/${trials}`);
  }
  if (trials === 0) return { successes, trials, rate: null, low: null, high: null };
  const p = successes / trials;
  const z2n = (z * z) / trials;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / trials + z2n / (4 * trials));
  // At 0/n and n/n the outer bound is exactly 0 or 1; the arithmetic would leave a rounding error.
  const low = successes === 0 ? 0 : Math.max(0, centre - half);
  const high = successes === trials ? 1 : Math.min(1, centre + half);
  return { successes, trials, rate: p, low, high };
}

/** Half the width of a proportion's interval; null when it has none. */
export function halfWidth(p: Proportion): number | null {
  return p.low === null || p.high === null ? null : (p.high - p.low) / 2;
}

export interface ZTest {
  /** (current − previous) ÷ pooled standard error. */
  z: number;
  pValue: number;
}

/**
 * Pooled two-proportion z-test of `current` against `previous`, two-sided. Null when either
 * side has no trials. When both rates are 0 % or both 100 % the pooled error is 0 and the
 * rates are equal: z = 0, p = 1 (no evidence of a change), rather than 0/0.
 */
export function twoProportionZTest(previous: Proportion, current: Proportion): ZTest | null {
  const { successes: x1, trials: n1 } = previous;
  const { successes: x2, trials: n2 } = current;
  if (n1 === 0 || n2 === 0) return null;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return { z: 0, pValue: 1 };
  const z = (x2 / n2 - x1 / n1) / se;
  return { z, pValue: twoSidedPValue(z) };
}
