import type { BenchmarkTask } from '../domain/benchmark-set.js';
import { grade } from '../domain/graders.js';
import { decideImprovement, type PairedResult } from '../domain/paired-sign-test.js';
import {
  type AgentUnderTest,
  type EvaluationOutcome,
  type Variant,
  variantUnderTest,
} from '../domain/variant.js';
import {
  type ClaimedEvaluation,
  extendLease,
  finishEvaluation,
  recordTaskResult,
  requeueEvaluation,
  type StoredTaskResult,
  taskResultsOf,
} from '../repository/evaluation-store.js';
import { findVariant } from '../repository/variant-store.js';
import { UnrunnableError } from '../runners/benchmark-runner.js';
import type { ImprovementContext } from './improvement-context.js';

/** Attempts an evaluation gets before an error fails it. */
export const MAX_ATTEMPTS = 3;
/** An evaluation put back after an error waits this long times its attempts before the next. */
export const RETRY_WAIT_SECONDS = 60;
/** How long a worker holds an evaluation between signs of life (each task extends it). */
export const LEASE_SECONDS = 300;
/** An answer is kept this long at most beside its grade. */
const DETAIL_CHARS = 500;

const SIDES = ['parent', 'variant'] as const;
type Side = (typeof SIDES)[number];

/** What happened to a claimed evaluation. */
export type EvaluationRunResult = EvaluationOutcome | 'requeued' | 'lost';

/** Runs one side of one task and grades it. */
async function runTask(
  { runner }: ImprovementContext,
  agent: AgentUnderTest,
  task: BenchmarkTask,
  runKey: string,
  signal: AbortSignal,
): Promise<Omit<StoredTaskResult, 'side'>> {
  const run = await runner.run({ agent, task, runKey, signal });
  if ('refused' in run)
    return { taskId: task.id, success: false, quality: 0, cost: run.costAia, detail: run.refused };
  const { success, quality } = grade(task.grader, run.answer);
  return {
    taskId: task.id,
    success,
    quality,
    cost: run.costAia,
    detail: run.answer.slice(0, DETAIL_CHARS),
  };
}

/** The tasks' results paired by task, in the set's order (every task has both sides by now). */
function paired(
  tasks: readonly BenchmarkTask[],
  results: readonly StoredTaskResult[],
): PairedResult[] {
  const of = (taskId: string, side: Side) => {
    const result = results.find((r) => r.taskId === taskId && r.side === side);
    if (!result) throw new Error(`task ${taskId} has no ${side} result`);
    return result;
  };
  return tasks.map((task) => ({
    taskId: task.id,
    parent: of(task.id, 'parent'),
    variant: of(task.id, 'variant'),
  }));
}

/** Ends the evaluation and counts it, once: only the attempt that ends it counts it. */
async function finish(
  context: ImprovementContext,
  claimed: ClaimedEvaluation,
  end: Parameters<typeof finishEvaluation>[2],
): Promise<EvaluationRunResult> {
  if (!(await finishEvaluation(context.sql, claimed, end))) return 'lost';
  context.improvements?.inc({ outcome: end.outcome });
  context.logger?.info(
    { variantId: claimed.variantId, outcome: end.outcome, reason: end.reason },
    'variant evaluated',
  );
  return end.outcome;
}

/**
 * Runs a claimed evaluation to its end: every benchmark task on the parent and on the variant
 * (both sides of a task at once; a task already recorded by an earlier attempt is not run
 * again), each answer graded, then the paired sign test decides: promoted or rejected. An error
 * of the runner puts the evaluation back in the queue, taken again after 1 then 2 minutes
 * (`lease_until` of a queued row: when it may be), until its last attempt, which fails it;
 * a variant that cannot be run at all fails at once. Returns `lost` when the evaluation stopped
 * being this attempt's (its lease ran out and another worker took it): nothing is counted then.
 */
export async function runEvaluation(
  context: ImprovementContext,
  claimed: ClaimedEvaluation,
  signal: AbortSignal,
): Promise<EvaluationRunResult> {
  const variant = await findVariant(context.sql, claimed.variantId);
  const set = context.benchmarks.get(claimed.benchmarkSkill);
  if (!variant || !set || set.version !== claimed.benchmarkVersion)
    return finish(context, claimed, {
      outcome: 'failed',
      reason: `the benchmark set of ${claimed.benchmarkSkill} at ${claimed.benchmarkVersion} is no longer loaded: register the variant again to evaluate it on the current set`,
    });
  try {
    const done = await taskResultsOf(context.sql, variant.id);
    for (const task of set.tasks) {
      const missing = SIDES.filter(
        (side) => !done.some((r) => r.taskId === task.id && r.side === side),
      );
      if (missing.length === 0) continue;
      await Promise.all(
        missing.map(async (side) => {
          const result = await runTask(
            context,
            agentOf(variant, side),
            task,
            `${variant.id}:${side}:${task.id}`,
            signal,
          );
          await recordTaskResult(context.sql, variant.id, { ...result, side });
        }),
      );
      if (!(await extendLease(context.sql, claimed, LEASE_SECONDS))) return 'lost';
    }
    const decision = decideImprovement(
      paired(set.tasks, await taskResultsOf(context.sql, variant.id)),
    );
    return finish(context, claimed, decision);
  } catch (error) {
    if (signal.aborted) throw error;
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof UnrunnableError || claimed.attempt >= MAX_ATTEMPTS)
      return finish(context, claimed, {
        outcome: 'failed',
        reason: `the evaluation could not be done (attempt ${claimed.attempt} of ${MAX_ATTEMPTS}): ${message}`,
      });
    await requeueEvaluation(context.sql, claimed, message, RETRY_WAIT_SECONDS * claimed.attempt);
    context.logger?.warn(
      { variantId: claimed.variantId, err: error },
      'evaluation attempt failed; queued again',
    );
    return 'requeued';
  }
}

const agentOf = (variant: Variant, side: Side): AgentUnderTest =>
  side === 'parent' ? { agentId: variant.parentAgentId } : variantUnderTest(variant);
