import type { Database } from '../../platform/db.js';
import { ALL } from '../domain/scope.js';
import type { WindowName } from '../domain/windows.js';

/** A ranking: one window, one skill (or ALL: every agent over all its skills). */
export interface RankingKey {
  readonly window: WindowName;
  readonly skill: string;
}

/**
 * Marks rankings as changed, in the transaction that changed their scores: the rank publisher
 * recomputes them once it commits. Appended, never updated, so concurrent writers never wait on
 * one another here.
 */
export async function markDirty(tx: Database, rankings: readonly RankingKey[]): Promise<void> {
  if (rankings.length === 0) return;
  await tx`
    insert into tracker_dirty_rankings (window_name, skill)
    select * from unnest(${rankings.map((r) => r.window)}::text[], ${rankings.map((r) => r.skill)}::text[])`;
}

/**
 * Takes up to `limit` changed rankings off the queue, those marked first first, with every mark
 * of each. Marks of transactions not committed yet are not seen, and stay for the next time.
 * They are back if `tx` rolls back.
 */
export async function takeDirty(tx: Database, limit: number): Promise<RankingKey[]> {
  const rows = await tx<{ window_name: WindowName; skill: string }[]>`
    with due as (
      select window_name, skill from tracker_dirty_rankings
       group by window_name, skill order by min(id) limit ${limit}
    ),
    taken as (
      delete from tracker_dirty_rankings d using due
       where d.window_name = due.window_name and d.skill = due.skill
      returning d.window_name, d.skill
    )
    select distinct window_name, skill from taken order by window_name, skill`;
  return rows.map((row) => ({ window: row.window_name, skill: row.skill }));
}

/** An agent whose rank or score in a ranking changed. */
export interface RankChange {
  readonly agentId: string;
  readonly rank: number;
  readonly previousRank: number | null;
  readonly score: number;
}

/**
 * Ranks a ranking's agents with a window function (score, then successes, descending, then
 * agent id: no two share a rank), keeps the ranks that changed in `tracker_current_ranks`, adds
 * a history row for each agent whose rank moved (or who is ranked for the first time), and
 * returns every agent whose rank or score changed, best first.
 */
export async function rerank(
  tx: Database,
  { window, skill }: RankingKey,
  computedAt: string,
): Promise<RankChange[]> {
  const rows = await tx<
    { agent_id: string; rank: number; previous_rank: number | null; score: number }[]
  >`
    with ranked as (
      select agent_id::uuid as agent_id, score,
             row_number() over (order by score desc, successes desc, agent_id)::int as rank
        from tracker_scorecards
       where window_name = ${window} and skill = ${skill} and agent_id <> ${ALL}
    ),
    changed as (
      select r.agent_id, r.rank, r.score, c.rank as previous_rank
        from ranked r
        left join tracker_current_ranks c
          on c.window_name = ${window} and c.skill = ${skill} and c.agent_id = r.agent_id
       where c.rank is distinct from r.rank or c.score is distinct from r.score
    ),
    kept as (
      insert into tracker_current_ranks (window_name, skill, agent_id, rank, score, computed_at)
      select ${window}, ${skill}, agent_id, rank, score, ${computedAt} from changed
      on conflict (window_name, skill, agent_id) do update set
        rank = excluded.rank, score = excluded.score, computed_at = excluded.computed_at
    ),
    history as (
      insert into tracker_rank_history
        (window_name, skill, agent_id, rank, previous_rank, score, recorded_at)
      select ${window}, ${skill}, agent_id, rank, previous_rank, score, ${computedAt}
        from changed where previous_rank is distinct from rank
       order by rank
    )
    select agent_id, rank, previous_rank, score from changed order by rank`;
  return rows.map((row) => ({
    agentId: row.agent_id,
    rank: row.rank,
    previousRank: row.previous_rank,
    score: row.score,
  }));
}

/** A row of an agent's rank history. */
export interface RankHistoryRow {
  readonly id: number;
  readonly rank: number;
  readonly previousRank: number | null;
  readonly score: number;
  readonly recordedAt: string;
}

/** An agent's rank changes in a ranking, newest first, before history row `before` if given. */
export async function rankHistory(
  sql: Database,
  agentId: string,
  { window, skill }: RankingKey,
  { limit, before }: { readonly limit: number; readonly before?: number },
): Promise<{ rows: RankHistoryRow[]; more: boolean }> {
  const rows = await sql<
    { id: string; rank: number; previous_rank: number | null; score: number; recorded_at: Date }[]
  >`
    select id::text, rank, previous_rank, score, recorded_at from tracker_rank_history
     where agent_id = ${agentId} and window_name = ${window} and skill = ${skill}
       ${before === undefined ? sql`` : sql`and id < ${before}`}
     order by id desc limit ${limit + 1}`;
  return {
    rows: rows.slice(0, limit).map((row) => ({
      id: Number(row.id),
      rank: row.rank,
      previousRank: row.previous_rank,
      score: row.score,
      recordedAt: row.recorded_at.toISOString(),
    })),
    more: rows.length > limit,
  };
}
