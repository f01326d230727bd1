import type { Database } from '../../platform/db.js';
import type { Scope } from '../domain/scope.js';

/**
 * Scopes whose scorecards end more than `staleSeconds` ago (their latest run, or their last
 * refresh), oldest first: their windows should move on even without new runs.
 */
export async function staleScopes(
  tx: Database,
  { staleSeconds, limit }: { readonly staleSeconds: number; readonly limit: number },
): Promise<Scope[]> {
  const rows = await tx<{ agent_id: string; skill: string }[]>`
    select agent_id, skill from tracker_scorecards
     where as_of < now() - make_interval(secs => ${staleSeconds})
     group by agent_id, skill
     order by min(as_of) limit ${limit}`;
  return rows.map((row) => ({ agentId: row.agent_id, skill: row.skill }));
}
