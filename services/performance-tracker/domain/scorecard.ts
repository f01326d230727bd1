import { wilsonLowerBound } from '../../platform/wilson-bound.js';

/**
 * What a window's runs add up to, as the repository sums them: counts (whole in `sliding`,
 * sums of weights in `decayed`), quality, latency percentiles and exact costs.
 */
export interface WindowTotals {
  readonly runs: number;
  readonly successes: number;
  readonly failures: number;
  readonly cancelled: number;
  readonly qualityMean: number | null;
  readonly qualityCount: number;
  readonly latencyP50Ms: number | null;
  readonly latencyP95Ms: number | null;
  /** AIA, an exact decimal string. */
  readonly costTotal: string;
  /** costTotal / successes to 18 decimals, exact; null without a success. */
  readonly costPerSuccess: string | null;
}

/**
 * The score agents are ranked by: the Wilson lower bound (95 %) of their completion rate,
 * successes / (successes + failures). A cancelled run (the sender withdrew it) is neither. One
 * success out of one scores about 0.21, 95 out of 100 about 0.89: few runs do not outrank many.
 * Adding a success never lowers it.
 */
export function completionScore({
  successes,
  failures,
}: Pick<WindowTotals, 'successes' | 'failures'>) {
  return wilsonLowerBound(successes, successes + failures);
}

/** The completion rate itself; null when no run completed or failed. */
export function completionRate({
  successes,
  failures,
}: Pick<WindowTotals, 'successes' | 'failures'>) {
  const decided = successes + failures;
  return decided > 0 ? successes / decided : null;
}
