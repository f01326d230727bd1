import { wilsonLowerBound } from '../../platform/wilson-bound.js';

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
