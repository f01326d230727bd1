/** Exponential backoff with full jitter: attempt 1 waits up to `initialMs`, doubling to `maxMs`. */
export interface Backoff {
  /** First delay's upper bound. Default 200 ms. */
  readonly initialMs?: number;
  /** Longest delay. Default 30 s. */
  readonly maxMs?: number;
}

/** Milliseconds to wait after the `attempt`-th failure (1-based). */
export function backoffDelay(attempt: number, { initialMs = 200, maxMs = 30_000 }: Backoff = {}) {
  const ceiling = Math.min(maxMs, initialMs * 2 ** (attempt - 1));
  // Half fixed, half random: spreads members retrying together without collapsing to zero.
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}
