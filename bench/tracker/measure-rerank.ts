import { ALL } from '../../services/performance-tracker/domain/scope.js';
import { rerank } from '../../services/performance-tracker/repository/rank-store.js';
import type { Database } from '../../services/platform/db.js';
import { WILSON_Z_95 } from '../../services/platform/wilson-bound.js';

/** One measured re-rank: the tracker's and the plain SQL's, and whether they agree. */
export interface RerankRun {
  readonly trackerMs: number;
  readonly plainMs: number;
  /** Agents whose rank the tracker and the plain SQL disagree on (0 when both are right). */
  readonly mismatches: number;
  /** Agents whose rank or score the tracker found changed. */
  readonly changed: number;
}

const RANKING = { window: 'sliding', skill: ALL } as const;

/**
 * Seeds `agents` agents with `runsPerAgent` finished runs each in `tracker_runs` (each agent
 * succeeding at its own rate, deterministically), and the Wilson bound as a SQL function for
 * the plain reference and the seeding (the same formula as services/platform/wilson-bound.ts).
 */
export async function seedAgents(
  sql: Database,
  agents: number,
  runsPerAgent: number,
): Promise<void> {
  await sql.unsafe(`
    create function bench_wilson(s float8, n float8) returns float8 language sql immutable as $$
      select case when n <= 0 then 0::float8 else greatest(0::float8,
        ((s / n) + z * z / (2 * n) - z * sqrt((s / n) * (1 - s / n) / n + z * z / (4 * n * n)))
        / (1 + z * z / n)) end
        from (select ${WILSON_Z_95}::float8 as z) c
    $$`);
  await sql`
    insert into tracker_runs (run_id, agent_id, skill, outcome, cost, duration_ms, finished_at, event_id)
    select gen_random_uuid(), a.agent_id, null,
           case when (hashtext(a.agent_id::text || i) & 1023) / 1024.0 < a.rate then 'succeeded' else 'failed' end,
           0.5, 100, now() - i * interval '1 minute', gen_random_uuid()
      from (select md5('bench agent ' || g)::uuid as agent_id, 0.5 + (g % 97) / 194.0 as rate
              from generate_series(1, ${agents}::int) g) a,
           generate_series(1, ${runsPerAgent}::int) i`;
  await sql`analyze tracker_runs`;
}

/**
 * Every agent gets one more run (succeeding or not by a hash of the round), and its scorecard
 * takes it in as the consumer's recomputation would leave it (counts and the Wilson bound
 * updated in one statement, not measured): every score moves.
 */
export async function addRoundOfRuns(sql: Database, round: number): Promise<void> {
  await sql`
    with added as (
      insert into tracker_runs (run_id, agent_id, skill, outcome, cost, duration_ms, finished_at, event_id)
      select gen_random_uuid(), agent_id::uuid, null,
             case when (hashtext(agent_id || ${round}::int) & 1) = 0 then 'succeeded' else 'failed' end,
             0.5, 100, now(), gen_random_uuid()
        from tracker_scorecards where window_name = ${RANKING.window} and skill = ${RANKING.skill}
      returning agent_id, outcome, finished_at, cost
    )
    update tracker_scorecards t
       set runs = t.runs + 1,
           successes = t.successes + (a.outcome = 'succeeded')::int,
           failures = t.failures + (a.outcome = 'failed')::int,
           score = bench_wilson(t.successes + (a.outcome = 'succeeded')::int, t.successes + t.failures + 1),
           as_of = a.finished_at, cost_total = t.cost_total + a.cost
      from added a
     where t.window_name = ${RANKING.window} and t.skill = ${RANKING.skill} and t.agent_id = a.agent_id::text`;
}

/**
 * The agents' scorecards (sliding window, over all skills) from their runs, in one statement:
 * what the consumer's incremental recomputation leaves, built in bulk (not measured).
 */
export async function buildScorecards(sql: Database): Promise<void> {
  await sql`
    insert into tracker_scorecards
      (window_name, skill, agent_id, as_of, runs, successes, failures, cancelled, score,
       quality_count, latency_p50_ms, latency_p95_ms, cost_total)
    select ${RANKING.window}, ${RANKING.skill}, agent_id::text, as_of, runs, s, f, 0,
           bench_wilson(s, s + f), 0, 100, 100, cost
      from (select agent_id, max(finished_at) as as_of, count(*) as runs, sum(cost) as cost,
                   count(*) filter (where outcome = 'succeeded') as s,
                   count(*) filter (where outcome = 'failed') as f
              from tracker_runs group by agent_id) g`;
  await sql`analyze tracker_scorecards`;
}

/**
 * The ranking in plain SQL, from the raw events: per agent (GROUP BY) its successes and failures
 * and their Wilson bound, ranked with rank() OVER in the tracker's order (score, successes,
 * agent id), every row to the client.
 */
async function plainRanking(sql: Database): Promise<Map<string, number>> {
  const rows = await sql<{ agent_id: string; rank: number }[]>`
    select agent_id, rank() over (order by score desc, successes desc, agent_id)::int as rank
      from (select agent_id::text as agent_id,
                   count(*) filter (where outcome = 'succeeded')::float8 as successes,
                   bench_wilson(count(*) filter (where outcome = 'succeeded'),
                                count(*) filter (where outcome in ('succeeded', 'failed'))) as score
              from tracker_runs group by agent_id) t`;
  return new Map(rows.map((row) => [row.agent_id, row.rank]));
}

/**
 * One full re-rank of the global ranking by the tracker (`rerank`: row_number over the stored
 * scores, the changed ranks kept, a history row per moved agent, the changes returned), and the
 * same ranking computed from the raw events by plain SQL, each timed; then their ranks compared.
 */
export async function measureRerank(sql: Database): Promise<RerankRun> {
  let started = performance.now();
  const changes = await sql.begin((tx) =>
    rerank(tx as unknown as Database, RANKING, new Date().toISOString()),
  );
  const trackerMs = performance.now() - started;
  started = performance.now();
  const plain = await plainRanking(sql);
  const plainMs = performance.now() - started;
  const kept = await sql<{ agent_id: string; rank: number }[]>`
    select agent_id::text, rank from tracker_current_ranks
     where window_name = ${RANKING.window} and skill = ${RANKING.skill}`;
  const mismatches =
    kept.filter((row) => plain.get(row.agent_id) !== row.rank).length +
    Math.max(0, plain.size - kept.length);
  return { trackerMs, plainMs, mismatches, changed: changes.length };
}
