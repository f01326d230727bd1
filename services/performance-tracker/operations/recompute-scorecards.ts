import type { Database } from '../../platform/db.js';
import type { Scope } from '../domain/scope.js';
import { completionScore } from '../domain/scorecard.js';
import { WINDOW_NAMES, type WindowSettings } from '../domain/windows.js';
import { markDirty, type RankingKey } from '../repository/rank-store.js';
import { saveScorecard, windowTotals } from '../repository/scorecard-store.js';

/**
 * Recomputes the scorecards of `scopes` in every window from the runs kept, and marks the
 * rankings they are part of as changed. `asOf` moves the windows' end there (a refresh);
 * otherwise each ends at its scope's latest run. Only these scorecards change: an event touches
 * its agent's, its agent-in-skill's and its skill's, nobody else's.
 */
export async function recomputeScorecards(
  tx: Database,
  scopes: readonly Scope[],
  settings: WindowSettings,
  asOf?: string,
): Promise<void> {
  const changed: RankingKey[] = [];
  for (const window of WINDOW_NAMES) {
    for (const scope of scopes) {
      const totals = await windowTotals(tx, window, scope, settings, asOf);
      if (!totals) continue;
      await saveScorecard(tx, {
        window,
        agentId: scope.agentId,
        skill: scope.skill,
        score: completionScore(totals),
        ...totals,
      });
    }
    for (const skill of new Set(scopes.map((scope) => scope.skill)))
      changed.push({ window, skill });
  }
  await markDirty(tx, changed);
}
