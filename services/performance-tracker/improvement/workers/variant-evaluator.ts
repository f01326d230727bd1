import type { PeriodicWorker } from '../../../platform/workers.js';
import type { ImprovementContext } from '../operations/improvement-context.js';
import { retryPendingLineage } from '../operations/retry-lineage.js';
import { LEASE_SECONDS, runEvaluation } from '../operations/run-evaluation.js';
import { claimEvaluation } from '../repository/evaluation-store.js';

/**
 * Evaluates queued variants on every replica, one at a time each, every `intervalMs` (default
 * 5 s) and at once again after one: evaluations are claimed under a lease, so replicas share
 * the queue and an evaluation whose worker stopped is taken up again when its lease runs out.
 * Each pass first tries again the lineages still pending. `agent_improvements_total` starts at
 * the stored outcomes before the service listens (the module's start, `seedCounts`), not here:
 * a first scrape at zero followed by the stored totals would read as a burst of evaluations.
 */
export function variantEvaluator(
  context: ImprovementContext,
  { intervalMs = 5_000 }: { readonly intervalMs?: number } = {},
): PeriodicWorker {
  return {
    name: 'variant-evaluator',
    intervalMs,
    run: async (signal) => {
      await retryPendingLineage(context);
      const claimed = await claimEvaluation(context.sql, LEASE_SECONDS);
      if (!claimed) return 'idle';
      await runEvaluation(context, claimed, signal);
      return 'more';
    },
  };
}
