/** The significance level promotions are decided at (one-sided). */
export const ALPHA = 0.05;

/** One benchmark task's result on one side. */
export interface TaskResult {
  readonly success: boolean;
  /** 0 to 1. */
  readonly quality: number;
}

/** One task as both sides did it. */
export interface PairedResult {
  readonly taskId: string;
  readonly parent: TaskResult;
  readonly variant: TaskResult;
}

/** What the paired comparison found. */
export interface SignTestStatistic {
  readonly test: 'one-sided exact sign test';
  readonly alpha: number;
  readonly tasks: number;
  /** Tasks the variant did better on: it succeeded where the parent failed, or equally with higher quality. */
  readonly better: number;
  readonly worse: number;
  readonly ties: number;
  /** P(at least `better` of the `better + worse` untied tasks favour the variant | neither is better). */
  readonly pValue: number;
  readonly successes: { readonly parent: number; readonly variant: number };
  readonly meanQuality: { readonly parent: number; readonly variant: number };
}

/** -1, 0 or 1: how the variant did on one task against its parent (success first, then quality). */
export function compareTask({ parent, variant }: PairedResult): -1 | 0 | 1 {
  if (parent.success !== variant.success) return variant.success ? 1 : -1;
  if (variant.quality === parent.quality) return 0;
  return variant.quality > parent.quality ? 1 : -1;
}

/**
 * P(X >= k) for X ~ Binomial(n, 1/2), exactly: the terms are summed from log-binomials, which
 * stay finite for the largest sets (500 tasks).
 */
export function binomialUpperTail(k: number, n: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  let logChoose = 0; // log C(n, 0)
  const terms: number[] = [];
  for (let i = 0; i <= n; i++) {
    if (i > 0) logChoose += Math.log(n - i + 1) - Math.log(i);
    if (i >= k) terms.push(logChoose - n * Math.LN2);
  }
  return Math.min(
    1,
    terms.reduce((sum, log) => sum + Math.exp(log), 0),
  );
}

const mean = (values: readonly number[]) =>
  values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;

/**
 * The paired comparison of a variant with its parent on the same tasks: each task is a win, a
 * loss or a tie for the variant (success decides; on equal success, quality), ties are set
 * aside, and the one-sided exact sign test asks how likely at least this many wins among the
 * untied tasks are if the variant were no better (each untied task a fair coin). On successes
 * alone this is the exact McNemar test. Exact for any number of tasks, no assumption about how
 * quality is distributed, and no randomness (a bootstrap would need a seed to be repeatable).
 */
export function pairedSignTest(results: readonly PairedResult[], alpha = ALPHA): SignTestStatistic {
  const comparisons = results.map(compareTask);
  const better = comparisons.filter((c) => c === 1).length;
  const worse = comparisons.filter((c) => c === -1).length;
  return {
    test: 'one-sided exact sign test',
    alpha,
    tasks: results.length,
    better,
    worse,
    ties: results.length - better - worse,
    pValue: binomialUpperTail(better, better + worse),
    successes: {
      parent: results.filter((r) => r.parent.success).length,
      variant: results.filter((r) => r.variant.success).length,
    },
    meanQuality: {
      parent: mean(results.map((r) => r.parent.quality)),
      variant: mean(results.map((r) => r.variant.quality)),
    },
  };
}

/** A decision on a variant: promoted when better with confidence, else rejected, with why. */
export interface ImprovementDecision {
  readonly outcome: 'promoted' | 'rejected';
  readonly reason: string;
  readonly statistic: SignTestStatistic;
}

/**
 * Promotes a variant only when the sign test rejects "no better" at `alpha` (p < alpha), which
 * needs more wins than losses; otherwise rejects it, saying by how much it fell short. With no
 * untied task at all (a tie everywhere) p is 1: nothing shows the variant better.
 */
export function decideImprovement(
  results: readonly PairedResult[],
  alpha = ALPHA,
): ImprovementDecision {
  const statistic = pairedSignTest(results, alpha);
  const { better, worse, ties, pValue } = statistic;
  const counts = `better on ${better}, worse on ${worse}, tied on ${ties} of ${statistic.tasks} tasks`;
  const p = `one-sided sign test p = ${pValue.toPrecision(3)}`;
  return pValue < alpha
    ? {
        outcome: 'promoted',
        reason: `better with confidence: ${counts}; ${p} < ${alpha}`,
        statistic,
      }
    : {
        outcome: 'rejected',
        reason: `not better with confidence: ${counts}; ${p} is not below ${alpha}`,
        statistic,
      };
}
