import type { Database } from '../../../platform/db.js';
import type { SignTestStatistic } from '../domain/paired-sign-test.js';
import type { EvaluationOutcome, EvaluationStatus } from '../domain/variant.js';

/** An evaluation as stored. */
export interface Evaluation {
  readonly variantId: string;
  readonly benchmarkSkill: string;
  readonly benchmarkVersion: string;
  readonly status: EvaluationStatus;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly reason: string | null;
  readonly statistic: SignTestStatistic | null;
  readonly queuedAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}

interface EvaluationColumns {
  variant_id: string;
  benchmark_skill: string;
  benchmark_version: string;
  status: EvaluationStatus;
  attempts: number;
  last_error: string | null;
  reason: string | null;
  statistic: SignTestStatistic | null;
  queued_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

const evaluationOf = (row: EvaluationColumns): Evaluation => ({
  variantId: row.variant_id,
  benchmarkSkill: row.benchmark_skill,
  benchmarkVersion: row.benchmark_version,
  status: row.status,
  attempts: row.attempts,
  lastError: row.last_error,
  reason: row.reason,
  statistic: row.statistic,
  queuedAt: row.queued_at.toISOString(),
  startedAt: row.started_at?.toISOString() ?? null,
  finishedAt: row.finished_at?.toISOString() ?? null,
});

/**
 * Queues a variant's evaluation on a benchmark set, once: asking again returns the evaluation
 * already there (whatever its state) with `created` false.
 */
export async function queueEvaluation(
  sql: Database,
  variantId: string,
  benchmark: { readonly skill: string; readonly version: string },
): Promise<{ evaluation: Evaluation; created: boolean }> {
  const [inserted] = await sql<EvaluationColumns[]>`
    insert into tracker_evaluations (variant_id, benchmark_skill, benchmark_version, status)
    values (${variantId}, ${benchmark.skill}, ${benchmark.version}, 'queued')
    on conflict (variant_id) do nothing
    returning *`;
  if (inserted) return { evaluation: evaluationOf(inserted), created: true };
  const existing = await findEvaluation(sql, variantId);
  if (!existing) throw new Error(`evaluation of ${variantId} vanished while being queued`);
  return { evaluation: existing, created: false };
}

/** A variant's evaluation, if one was asked for. */
export async function findEvaluation(sql: Database, variantId: string) {
  const [row] = await sql<EvaluationColumns[]>`
    select * from tracker_evaluations where variant_id = ${variantId}`;
  return row ? evaluationOf(row) : undefined;
}

/** The evaluations of these variants, by variant id. */
export async function evaluationsOf(sql: Database, variantIds: readonly string[]) {
  if (variantIds.length === 0) return new Map<string, Evaluation>();
  const rows = await sql<EvaluationColumns[]>`
    select * from tracker_evaluations where variant_id = any(${variantIds}::uuid[])`;
  return new Map(rows.map((row) => [row.variant_id, evaluationOf(row)]));
}

/** An evaluation this worker holds: its attempt number proves it still does. */
export interface ClaimedEvaluation extends Evaluation {
  readonly attempt: number;
}

/**
 * Claims the evaluation queued first (one put back after an error only once its wait is over;
 * or one whose worker's lease ran out: it stopped) for `leaseSeconds`, counting an attempt.
 * Concurrent workers skip each other's rows.
 */
export async function claimEvaluation(
  sql: Database,
  leaseSeconds: number,
): Promise<ClaimedEvaluation | undefined> {
  const [row] = await sql<EvaluationColumns[]>`
    update tracker_evaluations e
       set status = 'running', attempts = e.attempts + 1,
           lease_until = now() + make_interval(secs => ${leaseSeconds}),
           started_at = coalesce(e.started_at, now())
     where e.variant_id = (
             select variant_id from tracker_evaluations
              where (status = 'queued' and (lease_until is null or lease_until <= now()))
                 or (status = 'running' and lease_until < now())
              order by queued_at limit 1
              for update skip locked)
    returning e.*`;
  return row ? { ...evaluationOf(row), attempt: row.attempts } : undefined;
}

/** Extends this attempt's lease; false when the evaluation is no longer this attempt's. */
export async function extendLease(
  sql: Database,
  { variantId, attempt }: ClaimedEvaluation,
  leaseSeconds: number,
): Promise<boolean> {
  const rows = await sql`
    update tracker_evaluations set lease_until = now() + make_interval(secs => ${leaseSeconds})
     where variant_id = ${variantId} and status = 'running' and attempts = ${attempt}
    returning variant_id`;
  return rows.length > 0;
}

/** One side's result on one task. */
export interface StoredTaskResult {
  readonly taskId: string;
  readonly side: 'parent' | 'variant';
  readonly success: boolean;
  readonly quality: number;
  /** AIA, exact. */
  readonly cost: string;
  readonly detail: string;
}

/** Keeps a task's result (a result already kept for that task and side stays as it was). */
export async function recordTaskResult(
  sql: Database,
  variantId: string,
  result: StoredTaskResult,
): Promise<void> {
  await sql`
    insert into tracker_evaluation_results (variant_id, task_id, side, success, quality, cost, detail)
    values (${variantId}, ${result.taskId}, ${result.side}, ${result.success}, ${result.quality},
            ${result.cost}::numeric, ${result.detail})
    on conflict (variant_id, task_id, side) do nothing`;
}

/** Every task result of an evaluation, by task then side. */
export async function taskResultsOf(sql: Database, variantId: string): Promise<StoredTaskResult[]> {
  const rows = await sql<
    {
      task_id: string;
      side: 'parent' | 'variant';
      success: boolean;
      quality: number;
      cost: string;
      detail: string;
    }[]
  >`
    select task_id, side, success, quality, trim_scale(cost)::text as cost, detail
      from tracker_evaluation_results where variant_id = ${variantId}
     order by task_id, side`;
  return rows.map((row) => ({
    taskId: row.task_id,
    side: row.side,
    success: row.success,
    quality: row.quality,
    cost: row.cost,
    detail: row.detail,
  }));
}

/**
 * Ends this attempt's evaluation with `outcome`: true when it did, false when the evaluation
 * was no longer this attempt's (its lease ran out and another took it), so exactly one attempt
 * ends each evaluation and counts it.
 */
export async function finishEvaluation(
  sql: Database,
  { variantId, attempt }: ClaimedEvaluation,
  end: {
    readonly outcome: EvaluationOutcome;
    readonly reason: string;
    readonly statistic?: SignTestStatistic;
  },
): Promise<boolean> {
  const rows = await sql`
    update tracker_evaluations
       set status = ${end.outcome}, reason = ${end.reason},
           statistic = ${end.statistic ? sql.json(end.statistic as never) : null},
           lease_until = null, finished_at = now()
     where variant_id = ${variantId} and status = 'running' and attempts = ${attempt}
    returning variant_id`;
  return rows.length > 0;
}

/**
 * Puts this attempt's evaluation back in the queue after an error, saying which; it is not
 * claimed again for `waitSeconds` (a queued row's `lease_until` is when it may be).
 */
export async function requeueEvaluation(
  sql: Database,
  { variantId, attempt }: ClaimedEvaluation,
  error: string,
  waitSeconds: number,
): Promise<void> {
  await sql`
    update tracker_evaluations
       set status = 'queued', lease_until = now() + make_interval(secs => ${waitSeconds}),
           last_error = ${error}
     where variant_id = ${variantId} and status = 'running' and attempts = ${attempt}`;
}

/** How many evaluations ended with each outcome (all stored rows). */
export async function finishedCounts(sql: Database): Promise<Record<EvaluationOutcome, number>> {
  const rows = await sql<{ status: EvaluationOutcome; n: string }[]>`
    select status, count(*)::text as n from tracker_evaluations
     where status in ('promoted', 'rejected', 'failed') group by status`;
  const counts = { promoted: 0, rejected: 0, failed: 0 };
  for (const row of rows) counts[row.status] = Number(row.n);
  return counts;
}
