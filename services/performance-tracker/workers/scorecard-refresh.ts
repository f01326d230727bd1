import type { Database } from '../../platform/db.js';
import type { LeaderWorker } from '../../platform/workers.js';
import { ALL, type Scope } from '../domain/scope.js';
import type { WindowSettings } from '../domain/windows.js';
import { recomputeScorecards } from '../operations/recompute-scorecards.js';
import { lockScope } from '../repository/run-store.js';
import { staleScopes } from '../repository/stale-scorecards.js';

/**
 * Takes the scopes' locks, all of them before any work: agents (as the consumer does), then
 * skills (as the rank publisher does), each kind in order, so the refresh never waits on either
 * in a cycle.
 */
async function lockAll(tx: Database, scopes: readonly Scope[]): Promise<void> {
  const agents = new Set(scopes.map((s) => s.agentId).filter((id) => id !== ALL));
  const skills = new Set(scopes.map((s) => s.skill).filter((skill) => skill !== ALL));
  for (const agent of [...agents].sort()) await lockScope(tx, `agent:${agent}`);
  for (const skill of [...skills].sort()) await lockScope(tx, `skill:${skill}`);
}

/** Scopes refreshed per run. */
const SCOPES_PER_RUN = 200;

/**
 * Moves windows on when no runs do: on one replica every `intervalMs` (default 1 min), the
 * scorecards that end more than `staleSeconds` ago (default 1 h) are recomputed to end now, so
 * an agent that stopped running drops as its runs age out of the window instead of keeping its
 * last score. Runs again at once while a full batch was waiting.
 */
export const scorecardRefresh = ({
  sql,
  windows,
  intervalMs = 60_000,
  staleSeconds = 3_600,
}: {
  sql: Database;
  windows: WindowSettings;
  intervalMs?: number;
  staleSeconds?: number;
}): LeaderWorker => ({
  name: 'scorecard-refresh',
  intervalMs,
  leader: { sql, lock: 'aia:performance-tracker:scorecard-refresh' },
  run: async (tx) => {
    const scopes = await staleScopes(tx, { staleSeconds, limit: SCOPES_PER_RUN });
    await lockAll(tx, scopes);
    const now = new Date().toISOString();
    for (const scope of scopes) await recomputeScorecards(tx, [scope], windows, now);
    return scopes.length >= SCOPES_PER_RUN ? 'more' : 'idle';
  },
});
