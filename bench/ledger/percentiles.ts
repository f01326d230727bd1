/**
 * Nearest-rank percentile of values sorted ascending: the smallest value with at least `p`
 * percent of the values at or below it. Nearest-rank rather than interpolation so every figure
 * quoted is a latency some request really had. NaN for an empty list.
 */
export function percentile(sortedAscending: ArrayLike<number>, p: number): number {
  if (sortedAscending.length === 0) return Number.NaN;
  // Multiplied before dividing: (99.9 / 100) * 1000 is 999.0000000000001 in floating point.
  const rank = Math.ceil((p * sortedAscending.length) / 100);
  const index = Math.min(sortedAscending.length - 1, Math.max(0, rank - 1));
  return sortedAscending[index] as number;
}

/** Median of unsorted values (the mean of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Rounds to `digits` decimals for reports, keeping NaN as NaN (JSON writes it as null). */
export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
