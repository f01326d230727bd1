import type { Database } from '../../platform/db.js';
import { ALL, type Scope } from '../domain/scope.js';
import type { WindowTotals } from '../domain/scorecard.js';
import { type WindowName, type WindowSettings, windowSpanSeconds } from '../domain/windows.js';

const HOUR_SECONDS = 3_600;

/** A scorecard row: its key, its moment, the totals and the score computed from them. */
export interface ScorecardRow extends WindowTotals {
  readonly window: WindowName;
  readonly agentId: string;
  readonly skill: string;
  readonly asOf: string;
  readonly score: number;
}

/** The totals' columns, as both the window's sums and a stored scorecard are read. */
interface TotalsColumns {
  runs: number;
  successes: number;
  failures: number;
  cancelled: number;
  quality_mean: number | null;
  quality_count: number;
  latency_p50_ms: string | null;
  latency_p95_ms: string | null;
  cost_total: string;
  cost_per_success: string | null;
}

const totalsOf = (row: TotalsColumns): WindowTotals => ({
  runs: row.runs,
  successes: row.successes,
  failures: row.failures,
  cancelled: row.cancelled,
  qualityMean: row.quality_mean,
  qualityCount: row.quality_count,
  latencyP50Ms: row.latency_p50_ms === null ? null : Number(row.latency_p50_ms),
  latencyP95Ms: row.latency_p95_ms === null ? null : Number(row.latency_p95_ms),
  costTotal: row.cost_total,
  costPerSuccess: row.cost_per_success,
});

/**
 * Sums the runs of `scope` in `window` ending at its moment: the latest of `asOf` (a refresh's
 * clock), the scope's latest run and the moment its row already has, so a late run never moves
 * a window back. Weights and sums are `numeric`, exact whatever order the rows are read in; the
 * percentiles are nearest-rank over the successful runs' durations, by weight. Undefined when
 * the scope has no run at all.
 */
export async function windowTotals(
  tx: Database,
  window: WindowName,
  { agentId, skill }: Scope,
  settings: WindowSettings,
  asOf?: string,
): Promise<(WindowTotals & { asOf: string }) | undefined> {
  const inScope = tx`${agentId === ALL ? tx`true` : tx`r.agent_id = ${agentId}::uuid`}
                 and ${skill === ALL ? tx`true` : tx`r.skill = ${skill}`}`;
  const weight =
    window === 'sliding'
      ? tx`1::numeric`
      : tx`round(power(2::numeric,
                       -extract(epoch from (c.as_of - r.finished_at)) / ${settings.halfLifeHours * HOUR_SECONDS}::numeric),
                 18)`;
  const [row] = await tx<(TotalsColumns & { as_of: Date | null })[]>`
    with clock as (
      select greatest(${asOf ?? null}::timestamptz,
                      (select max(r.finished_at) from tracker_runs r where ${inScope}),
                      (select s.as_of from tracker_scorecards s
                        where s.window_name = ${window} and s.skill = ${skill} and s.agent_id = ${agentId}))
             as as_of
    ),
    weighted as (
      select r.run_id, r.outcome, r.cost, r.duration_ms, r.quality, ${weight} as weight
        from tracker_runs r, clock c
       where ${inScope}
         and r.finished_at <= c.as_of
         and r.finished_at > c.as_of - make_interval(secs => ${windowSpanSeconds(window, settings)})
    ),
    done as (
      select duration_ms,
             sum(weight) over (order by duration_ms, run_id) as reached,
             sum(weight) over () as total
        from weighted where outcome = 'succeeded'
    ),
    sums as (
      select coalesce(sum(weight), 0) as runs,
             coalesce(sum(weight) filter (where outcome = 'succeeded'), 0) as successes,
             coalesce(sum(weight) filter (where outcome = 'failed'), 0) as failures,
             coalesce(sum(weight) filter (where outcome = 'cancelled'), 0) as cancelled,
             sum(quality::numeric * weight) as quality_sum,
             coalesce(sum(weight) filter (where quality is not null), 0) as quality_count,
             coalesce(sum(cost * weight), 0) as cost_total
        from weighted
    )
    select (select as_of from clock) as as_of,
           runs::float8 as runs, successes::float8 as successes, failures::float8 as failures,
           cancelled::float8 as cancelled,
           (quality_sum / nullif(quality_count, 0))::float8 as quality_mean,
           quality_count::float8 as quality_count,
           (select min(duration_ms) from done where reached >= 0.5 * total)::text as latency_p50_ms,
           (select min(duration_ms) from done where reached >= 0.95 * total)::text as latency_p95_ms,
           trim_scale(round(cost_total, 18))::text as cost_total,
           trim_scale(round(cost_total / nullif(successes, 0), 18))::text as cost_per_success
      from sums`;
  if (!row?.as_of) return undefined;
  return { asOf: row.as_of.toISOString(), ...totalsOf(row) };
}

/** Writes a scorecard row over the one of its key. */
export async function saveScorecard(tx: Database, row: ScorecardRow): Promise<void> {
  await tx`
    insert into tracker_scorecards as s
      (window_name, skill, agent_id, as_of, runs, successes, failures, cancelled, score,
       quality_mean, quality_count, latency_p50_ms, latency_p95_ms, cost_total, cost_per_success)
    values (${row.window}, ${row.skill}, ${row.agentId}, ${row.asOf}, ${row.runs}, ${row.successes},
            ${row.failures}, ${row.cancelled}, ${row.score}, ${row.qualityMean}, ${row.qualityCount},
            ${row.latencyP50Ms}, ${row.latencyP95Ms}, ${row.costTotal}::numeric,
            ${row.costPerSuccess}::numeric)
    on conflict (window_name, skill, agent_id) do update set
      as_of = excluded.as_of, runs = excluded.runs, successes = excluded.successes,
      failures = excluded.failures, cancelled = excluded.cancelled, score = excluded.score,
      quality_mean = excluded.quality_mean, quality_count = excluded.quality_count,
      latency_p50_ms = excluded.latency_p50_ms, latency_p95_ms = excluded.latency_p95_ms,
      cost_total = excluded.cost_total, cost_per_success = excluded.cost_per_success,
      updated_at = now()`;
}

interface StoredScorecard extends TotalsColumns {
  window_name: WindowName;
  skill: string;
  agent_id: string;
  as_of: Date;
  score: number;
}

const COLUMNS = (tx: Database) => tx`
  window_name, skill, agent_id, as_of, runs, successes, failures, cancelled, score, quality_mean,
  quality_count, latency_p50_ms::text, latency_p95_ms::text, trim_scale(cost_total)::text as cost_total,
  trim_scale(cost_per_success)::text as cost_per_success`;

const rowOf = (s: StoredScorecard): ScorecardRow => ({
  window: s.window_name,
  skill: s.skill,
  agentId: s.agent_id,
  asOf: s.as_of.toISOString(),
  score: s.score,
  ...totalsOf(s),
});

/** An agent's scorecards in `window`: over all skills first, then per skill by name. */
export async function scorecardsOfAgent(
  sql: Database,
  window: WindowName,
  agentId: string,
): Promise<ScorecardRow[]> {
  const rows = await sql<StoredScorecard[]>`
    select ${COLUMNS(sql)} from tracker_scorecards
     where window_name = ${window} and agent_id = ${agentId}
     order by skill <> ${ALL}, skill`;
  return rows.map(rowOf);
}

/** A skill's scorecard over all agents in `window`, if it has runs. */
export async function scorecardOfSkill(
  sql: Database,
  window: WindowName,
  skill: string,
): Promise<ScorecardRow | undefined> {
  const [row] = await sql<StoredScorecard[]>`
    select ${COLUMNS(sql)} from tracker_scorecards
     where window_name = ${window} and skill = ${skill} and agent_id = ${ALL}`;
  return row ? rowOf(row) : undefined;
}

/** Where a leaderboard page starts: after the row with this score, successes and agent. */
export interface LeaderboardPosition {
  readonly score: number;
  readonly successes: number;
  readonly agentId: string;
}

/**
 * One page of a ranking (agents of `skill`, or ALL for the global one) in rank order: score,
 * then successes, both descending, then agent id; with each row's rank (rows ahead of it + 1).
 */
export async function leaderboardPage(
  sql: Database,
  window: WindowName,
  skill: string,
  { limit, after }: { readonly limit: number; readonly after?: LeaderboardPosition },
): Promise<{ rows: (ScorecardRow & { rank: number })[]; more: boolean }> {
  const behind = after
    ? sql`and (score < ${after.score}
               or (score = ${after.score} and successes < ${after.successes})
               or (score = ${after.score} and successes = ${after.successes} and agent_id > ${after.agentId}))`
    : sql``;
  const ahead = after
    ? await sql<{ n: string }[]>`
        select count(*)::text as n from tracker_scorecards
         where window_name = ${window} and skill = ${skill} and agent_id <> ${ALL}
           and (score > ${after.score}
                or (score = ${after.score} and successes > ${after.successes})
                or (score = ${after.score} and successes = ${after.successes} and agent_id <= ${after.agentId}))`
    : [{ n: '0' }];
  const rows = await sql<StoredScorecard[]>`
    select ${COLUMNS(sql)} from tracker_scorecards
     where window_name = ${window} and skill = ${skill} and agent_id <> ${ALL} ${behind}
     order by score desc, successes desc, agent_id
     limit ${limit + 1}`;
  const first = Number(ahead[0]?.n ?? 0) + 1;
  return {
    rows: rows.slice(0, limit).map((row, index) => ({ ...rowOf(row), rank: first + index })),
    more: rows.length > limit,
  };
}
