import type { Database } from '../../platform/db.js';
import type { EvidenceKind, EvidenceTotals } from '../domain/evidence.js';

/** One run's contribution to a row of `dkg_evidence`. */
export interface RunOutcome {
  readonly outcome: 'succeeded' | 'failed' | 'cancelled';
  readonly quality?: number;
  /** AIA, an exact decimal string. */
  readonly cost: string;
  readonly durationMs: number;
}

/** Adds one run to the totals of (`kind`, `subjectId`, `target`), creating the row. */
export async function addRun(
  tx: Database,
  kind: EvidenceKind,
  subjectId: string,
  target: string,
  run: RunOutcome,
): Promise<void> {
  const succeeded = run.outcome === 'succeeded' ? 1 : 0;
  const failed = run.outcome === 'failed' ? 1 : 0;
  const quality = run.quality ?? null;
  await tx`
    insert into dkg_evidence as e (kind, subject_id, target, runs, successes, failures,
                                   quality_sum, quality_count, cost_sum, latency_sum_ms, latency_max_ms)
    values (${kind}, ${subjectId}, ${target}, 1, ${succeeded}, ${failed},
            coalesce(${quality}::numeric, 0), ${quality === null ? 0 : 1}, ${run.cost}::numeric,
            ${run.durationMs}, ${run.durationMs})
    on conflict (kind, subject_id, target) do update set
      runs = e.runs + 1,
      successes = e.successes + excluded.successes,
      failures = e.failures + excluded.failures,
      quality_sum = e.quality_sum + excluded.quality_sum,
      quality_count = e.quality_count + excluded.quality_count,
      cost_sum = e.cost_sum + excluded.cost_sum,
      latency_sum_ms = e.latency_sum_ms + excluded.latency_sum_ms,
      latency_max_ms = greatest(e.latency_max_ms, excluded.latency_max_ms),
      updated_at = now(),
      copied = false`;
}

/** The targets a subject has evidence for. */
export async function targetsOf(
  tx: Database,
  kind: EvidenceKind,
  subjectId: string,
): Promise<string[]> {
  const rows = await tx<{ target: string }[]>`
    select target from dkg_evidence where kind = ${kind} and subject_id = ${subjectId}
     order by target`;
  return rows.map((row) => row.target);
}

interface TotalsRow {
  to_id: string;
  runs: string;
  successes: string;
  failures: string;
  quality_sum: string;
  quality_count: string;
  cost_sum: string;
  mean_cost: string | null;
  latency_sum_ms: string;
  latency_max_ms: string;
}

/**
 * The totals of a subject's evidence per graph node, given which node each target stands for
 * (several targets may name one node: a card skill's id and its name). Sums are exact in
 * PostgreSQL; costs stay decimal strings.
 */
export async function totalsByNode(
  tx: Database,
  kind: EvidenceKind,
  subjectId: string,
  nodeOfTarget: ReadonlyMap<string, string>,
): Promise<Map<string, EvidenceTotals>> {
  if (nodeOfTarget.size === 0) return new Map();
  const rows = await tx<TotalsRow[]>`
    select m.to_id,
           sum(e.runs)::text as runs, sum(e.successes)::text as successes,
           sum(e.failures)::text as failures, sum(e.quality_sum)::text as quality_sum,
           sum(e.quality_count)::text as quality_count,
           trim_scale(sum(e.cost_sum))::text as cost_sum,
           case when sum(e.runs) > 0
                then trim_scale(round(sum(e.cost_sum) / sum(e.runs), 18))::text end as mean_cost,
           sum(e.latency_sum_ms)::text as latency_sum_ms, max(e.latency_max_ms)::text as latency_max_ms
      from dkg_evidence e
      join unnest(${[...nodeOfTarget.keys()]}::text[], ${[...nodeOfTarget.values()]}::text[])
           as m(target, to_id) on m.target = e.target
     where e.kind = ${kind} and e.subject_id = ${subjectId}
     group by m.to_id`;
  return new Map(
    rows.map((row) => [
      row.to_id,
      {
        runs: Number(row.runs),
        successes: Number(row.successes),
        failures: Number(row.failures),
        quality_sum: Number(row.quality_sum),
        quality_count: Number(row.quality_count),
        cost_sum: row.cost_sum,
        mean_cost: row.mean_cost,
        latency_sum_ms: Number(row.latency_sum_ms),
        latency_max_ms: Number(row.latency_max_ms),
      },
    ]),
  );
}

/** Records which of a subject's targets the graph now has (the others wait for their edge). */
export async function markCopied(
  tx: Database,
  kind: EvidenceKind,
  subjectId: string,
  copiedTargets: readonly string[],
): Promise<void> {
  await tx`
    update dkg_evidence set copied = (target = any(${[...copiedTargets]}::text[])), checked_at = now()
     where kind = ${kind} and subject_id = ${subjectId}`;
}

/**
 * Subjects with evidence the graph does not have, not checked within `recheckSeconds`: those
 * never tried first, then the longest waiting.
 */
export async function subjectsToCopy(
  sql: Database,
  { recheckSeconds, limit }: { readonly recheckSeconds: number; readonly limit: number },
): Promise<{ kind: EvidenceKind; subject_id: string }[]> {
  return sql<{ kind: EvidenceKind; subject_id: string }[]>`
    select kind, subject_id from (
      select kind, subject_id, min(checked_at) as checked_at,
             bool_or(checked_at is null) as never_checked
        from dkg_evidence
       where not copied
         and (checked_at is null or checked_at < now() - make_interval(secs => ${recheckSeconds}))
       group by kind, subject_id
    ) due
     order by never_checked desc, checked_at nulls first
     limit ${limit}`;
}

/** A subject's rows as stored, for tests and tools. */
export async function evidenceRows(sql: Database, kind: EvidenceKind, subjectId: string) {
  return sql<
    {
      target: string;
      runs: string;
      successes: string;
      failures: string;
      cost_sum: string;
      copied: boolean;
    }[]
  >`
    select target, runs::text, successes::text, failures::text, trim_scale(cost_sum)::text as cost_sum,
           copied
      from dkg_evidence where kind = ${kind} and subject_id = ${subjectId} order by target`;
}
