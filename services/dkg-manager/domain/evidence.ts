/**
 * Evidence: what finished runs say about an agent in a skill, or a strategy for a task type.
 * Totals only ever grow; means and the success bound are derived from them when read.
 */

/** The totals of the runs one relation is evidence of. */
export interface EvidenceTotals {
  /** Every finished run: succeeded, failed or cancelled. */
  readonly runs: number;
  readonly successes: number;
  readonly failures: number;
  /** The sum and number of the runs' quality evaluations (each 0..1), where there was one. */
  readonly quality_sum: number;
  readonly quality_count: number;
  /** The runs' cost in AIA, an exact decimal string. */
  readonly cost_sum: string;
  /** `cost_sum / runs`, exact to 18 decimals; null without runs. */
  readonly mean_cost: string | null;
  readonly latency_sum_ms: number;
  readonly latency_max_ms: number;
}

/** The two kinds of evidence: an agent in a skill, a strategy for a task type. */
export type EvidenceKind = 'agent_skill' | 'strategy_task_type';

/** z for a two-sided 95 % interval: the 97.5th percentile of the standard normal distribution. */
export const WILSON_Z_95 = 1.959963984540054;

/**
 * The lower bound of the Wilson score interval (95 %) of a success rate: what the rate is at
 * least, given how few runs show it. 95 successes in 100 runs (about 0.89) rank above 1 in 1
 * (about 0.21), which the raw mean would rank first. 0 without runs.
 */
export function wilsonLowerBound(successes: number, runs: number, z = WILSON_Z_95): number {
  if (runs <= 0) return 0;
  const p = successes / runs;
  const z2 = z * z;
  const centre = p + z2 / (2 * runs);
  const margin = z * Math.sqrt((p * (1 - p)) / runs + z2 / (4 * runs * runs));
  return Math.max(0, (centre - margin) / (1 + z2 / runs));
}

/** The numbers a ranked row shows: counts, the success bound and the means. */
export interface EvidenceSummary {
  readonly runs: number;
  readonly successes: number;
  readonly failures: number;
  /** Wilson lower bound (95 %) of successes / runs. */
  readonly success_lower_bound: number;
  readonly mean_quality: number | null;
  readonly mean_cost: string | null;
  readonly mean_latency_ms: number | null;
  readonly max_latency_ms: number | null;
}

/** The summary of `totals` (none: no runs yet). */
export function summarise(totals: EvidenceTotals | undefined): EvidenceSummary {
  if (!totals || totals.runs === 0)
    return {
      runs: 0,
      successes: 0,
      failures: 0,
      success_lower_bound: 0,
      mean_quality: null,
      mean_cost: null,
      mean_latency_ms: null,
      max_latency_ms: null,
    };
  return {
    runs: totals.runs,
    successes: totals.successes,
    failures: totals.failures,
    success_lower_bound: wilsonLowerBound(totals.successes, totals.runs),
    mean_quality: totals.quality_count > 0 ? totals.quality_sum / totals.quality_count : null,
    mean_cost: totals.mean_cost,
    mean_latency_ms: totals.latency_sum_ms / totals.runs,
    max_latency_ms: totals.latency_max_ms,
  };
}
