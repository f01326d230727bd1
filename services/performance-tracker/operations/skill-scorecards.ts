import type { Database } from '../../platform/db.js';
import { ALL } from '../domain/scope.js';
import type { WindowSettings } from '../domain/windows.js';
import type { RankingKey } from '../repository/rank-store.js';
import { lockScope } from '../repository/run-store.js';
import { recomputeScorecard } from './recompute-scorecards.js';

/**
 * Brings the skills' own scorecards (every agent in one skill) up to date, once for the batch
 * of `rankings` whose scores changed: a run marks its skill's rankings, not its skill's
 * scorecard, because recomputing that on every run summed all the skill's runs in the window
 * once per event. The scorecard is the same function of the kept runs as before, so the result
 * is what recomputing it per run gave; it follows the runs within a pass of the rank publisher.
 * Takes the skills' locks in order (a refresh writes the same rows), and marks nothing: the
 * skill's scorecard is in no ranking.
 */
export async function refreshSkillScorecards(
  tx: Database,
  rankings: readonly RankingKey[],
  settings: WindowSettings,
): Promise<void> {
  const skills = [...new Set(rankings.map((r) => r.skill).filter((s) => s !== ALL))].sort();
  for (const skill of skills) await lockScope(tx, `skill:${skill}`);
  for (const { window, skill } of rankings)
    if (skill !== ALL) await recomputeScorecard(tx, window, { agentId: ALL, skill }, settings);
}
