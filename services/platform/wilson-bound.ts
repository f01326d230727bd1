/** z for a two-sided 95 % interval: the 97.5th percentile of the standard normal distribution. */
export const WILSON_Z_95 = 1.959963984540054;

/**
 * The lower bound of the Wilson score interval (95 %) of a success rate: what the rate is at
 * least, given how few runs show it. 95 successes in 100 runs (about 0.89) rank above 1 in 1
 * (about 0.21), which the raw mean would rank first. 0 without runs (or next to none).
 * `runs` and `successes` may be fractional (decayed counts: an effective number of runs).
 * @example wilsonLowerBound(95, 100) // ≈ 0.888
 */
export function wilsonLowerBound(successes: number, runs: number, z = WILSON_Z_95): number {
  if (runs <= 0) return 0;
  const p = Math.min(1, Math.max(0, successes / runs));
  const z2 = z * z;
  const centre = p + z2 / (2 * runs);
  const margin = z * Math.sqrt((p * (1 - p)) / runs + z2 / (4 * runs * runs));
  const bound = (centre - margin) / (1 + z2 / runs);
  // A vanishing (decayed) number of runs overflows the terms; its bound tends to 0.
  return Number.isFinite(bound) ? Math.max(0, bound) : 0;
}
