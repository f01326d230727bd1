import type { Variant } from '../domain/variant.js';
import type { Evaluation, StoredTaskResult } from '../repository/evaluation-store.js';

/** An evaluation as the API shows it. */
export const evaluationView = (evaluation: Evaluation) => ({
  status: evaluation.status,
  benchmark: { skill: evaluation.benchmarkSkill, version: evaluation.benchmarkVersion },
  attempts: evaluation.attempts,
  last_error: evaluation.lastError,
  reason: evaluation.reason,
  statistic: evaluation.statistic && {
    test: evaluation.statistic.test,
    alpha: evaluation.statistic.alpha,
    tasks: evaluation.statistic.tasks,
    better: evaluation.statistic.better,
    worse: evaluation.statistic.worse,
    ties: evaluation.statistic.ties,
    p_value: evaluation.statistic.pValue,
    successes: evaluation.statistic.successes,
    mean_quality: evaluation.statistic.meanQuality,
  },
  queued_at: evaluation.queuedAt,
  started_at: evaluation.startedAt,
  finished_at: evaluation.finishedAt,
});

/** A variant (and its evaluation, if one was asked for) as the API shows it. */
export const variantView = (variant: Variant, evaluation: Evaluation | undefined) => ({
  id: variant.id,
  parent_agent_id: variant.parentAgentId,
  kind: variant.kind,
  description: variant.description,
  skill: variant.skill,
  variant_agent_id: variant.variantAgentId,
  settings: variant.settings as Record<string, unknown> | null,
  lineage: { status: variant.lineageStatus, error: variant.lineageError },
  created_by: variant.createdBy,
  created_at: variant.createdAt,
  evaluation: evaluation ? evaluationView(evaluation) : null,
});

/** The per-task results, task by task in the benchmark set's order, both sides side by side. */
export const taskResultsView = (taskIds: readonly string[], results: readonly StoredTaskResult[]) =>
  taskIds.map((taskId) => {
    const side = (name: 'parent' | 'variant') => {
      const result = results.find((r) => r.taskId === taskId && r.side === name);
      return result
        ? {
            success: result.success,
            quality: result.quality,
            cost: result.cost,
            detail: result.detail,
          }
        : null;
    };
    return { task_id: taskId, parent: side('parent'), variant: side('variant') };
  });
