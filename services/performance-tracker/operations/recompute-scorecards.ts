import type { Database } from '../../platform/db.js';
import type { Scope } from '../domain/scope.js';
import { completionScore } from '../domain/scorecard.js';
import { WINDOW_NAMES, type WindowName, type WindowSettings } from '../domain/windows.js';
import { markDirty, type RankingKey } from '../repository/rank-store.js';
import { saveScorecard, windowTotals } from '../repository/scorecard-store.js';

/**
 * Recomputes the scorecard of `scope` in `window` from the runs kept and stores it; nothing
 * when the scope has no run. `asOf` moves the window's end there (a refresh); otherwise it ends
 * at the scope's latest run (never before the end the row already has).
 */
export async function recomputeScorecard(
  tx: Database,
  window: WindowName,
  scope: Scope,
  settings: WindowSettings,
  asOf?: string,
): Promise<void> {
  const totals = await windowTotals(tx, window, scope, settings, asOf);
  if (!totals) return;
  await saveScorecard(tx, {
    window,
    agentId: scope.agentId,
    skill: scope.skill,
    score: completionScore(totals),
    ...totals,
  });
}

/**
 * Recomputes the scorecards of `scopes` in every window from the runs kept, and marks the
 * rankings they are part of as changed. `asOf` moves the windows' end there (a refresh);
 * otherwise each ends at its scope's latest run. Only these scorecards change.
 */
export async function recomputeScorecards(
  tx: Database,
  scopes: readonly Scope[],
  settings: WindowSettings,
  asOf?: string,
): Promise<void> {
  const changed: RankingKey[] = [];
  for (const window of WINDOW_NAMES) {
    for (const scope of scopes) await recomputeScorecard(tx, window, scope, settings, asOf);
    for (const skill of new Set(scopes.map((scope) => scope.skill)))
      changed.push({ window, skill });
  }
  await markDirty(tx, changed);
}
