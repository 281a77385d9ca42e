/**
 * Confidence bounds on a binomial proportion k/n (Wilson score), one formula for the
 * two-sided intervals of switching experiments and the one-sided upper bound the
 * guard band takes on a failure fraction.
 *
 *   wilsonInterval(37, 100)              → { low: 0.28, high: 0.47 }   (95 %, two-sided)
 *   wilsonUpper(0, 20, Z_ONE_SIDED_90)   → 0.076                       (90 %, one-sided)
 *
 * With p = k/n and quantile z:  (p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n).
 */

/** Two-sided 95 % normal quantile. */
export const Z95 = 1.959963984540054;

/** One-sided 90 % normal quantile (as the guard band has always used it, 4 digits). */
export const Z_ONE_SIDED_90 = 1.2816;

/** Wilson score interval of a binomial proportion (the whole range [0, 1] when there are no trials). */
export function wilsonInterval(successes: number, trials: number, z = Z95): { low: number; high: number } {
  if (trials === 0) return { low: 0, high: 1 };
  const { centre, half, denom } = wilsonTerms(successes, trials, z);
  return { low: Math.max(0, (centre - half) / denom), high: Math.min(1, (centre + half) / denom) };
}

/** One-sided Wilson score upper confidence bound on k/n (n ≥ 1). */
export function wilsonUpper(k: number, n: number, z: number): number {
  const { centre, half, denom } = wilsonTerms(k, n, z);
  return Math.min(1, (centre + half) / denom);
}

function wilsonTerms(k: number, n: number, z: number): { centre: number; half: number; denom: number } {
  const p = k / n;
  const z2 = z * z;
  return { centre: p + z2 / (2 * n), half: z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n)), denom: 1 + z2 / n };
}
