import { wilsonLowerBound } from '../../../platform/wilson-bound.js';

/** What an agent did in one epoch: counts over the runs that finished inside it. */
export interface EpochActivity {
  readonly agentId: string;
  readonly runs: number;
  readonly successes: number;
  readonly failures: number;
  /** Mean `quality` of the runs that carry one; null when none does. */
  readonly qualityMean: number | null;
  readonly evaluatedRuns: number;
}

/**
 * An agent's score for an epoch: the Wilson lower bound (95 %) of its completion rate over the
 * epoch's runs (successes / (successes + failures); cancelled runs are neither), times the mean
 * quality of its evaluated runs (1 when none is evaluated, so missing evaluations neither reward
 * nor punish). The same counts give the same score, so the score depends on which runs finished
 * inside the epoch, never on the order they arrived in. 0 without a finished run.
 */
export function epochScore(activity: EpochActivity): number {
  const bound = wilsonLowerBound(activity.successes, activity.successes + activity.failures);
  return bound * (activity.qualityMean ?? 1);
}
