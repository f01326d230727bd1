import type { Database } from '../../platform/db.js';

/**
 * The relations of an agent's own that `aia.dkg.changes.v1` last showed set (see
 * published-changes.ts): its HAS_SKILL edges and the MANAGES edge into it. The mirror asks them
 * to be published again against the graph, so a relation it removed is published as removed even
 * when the removal happened in an attempt whose transaction failed after the graph committed.
 */
export async function publishedAgentRelations(
  tx: Database,
  agentId: string,
): Promise<{ type: 'HAS_SKILL' | 'MANAGES'; from_id: string; to_id: string }[]> {
  return tx`
    select type, from_id, to_id from dkg_published_relations
     where (type = 'HAS_SKILL' and from_id = ${agentId}) or (type = 'MANAGES' and to_id = ${agentId})
     order by type, from_id, to_id`;
}
