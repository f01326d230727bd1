import type { Database } from '../../platform/db.js';
import { writeEvent } from '../../platform/events/index.js';
import { ALL } from '../domain/scope.js';
import { DEFAULT_WINDOW, type WindowSettings } from '../domain/windows.js';
import { rerank, takeDirty } from '../repository/rank-store.js';
import { refreshSkillScorecards } from './skill-scorecards.js';

/** Rankings recomputed per run of the rank publisher. */
export const RANKINGS_PER_RUN = 50;

/**
 * Recomputes the rankings whose scores changed (up to `limit`), in `tx`: first the scorecards
 * of their skills (every agent in the skill, in the ranking's window: `refreshSkillScorecards`),
 * then the ranks. Each agent whose rank moved gets a rank-history row, and in the published
 * ranking (every agent, DEFAULT_WINDOW) each agent whose rank or score changed gets an
 * `aia.performance.rankings.v1` record, written to the outbox in this same transaction. Returns
 * how many rankings it took; `limit` of them means more may be waiting. Default `limit`
 * RANKINGS_PER_RUN.
 */
export async function publishRanks(
  tx: Database,
  windows: WindowSettings,
  limit = RANKINGS_PER_RUN,
): Promise<number> {
  const rankings = await takeDirty(tx, limit);
  await refreshSkillScorecards(tx, rankings, windows);
  const computedAt = new Date().toISOString();
  for (const ranking of rankings) {
    const changes = await rerank(tx, ranking, computedAt);
    if (ranking.window !== DEFAULT_WINDOW || ranking.skill !== ALL) continue;
    for (const change of changes)
      await writeEvent(
        tx,
        'aia.performance.rankings.v1',
        change.agentId,
        {
          agent_id: change.agentId,
          rank: change.rank,
          score: change.score,
          computed_at: computedAt,
          window: ranking.window,
        },
        { producer: 'performance-tracker' },
      );
  }
  return rankings.length;
}
