import { RELATION_TYPES } from '../../services/dkg-manager/domain/relations.js';
import type { GraphStore } from '../../services/dkg-manager/graph/graph-store.js';
import { agentsForSkill } from '../../services/dkg-manager/operations/ranked-queries.js';
import type { Database } from '../../services/platform/db.js';
import type { GraphQueries } from './graph-queries.js';

/** Traversals follow the relations, not HAS_VERSION, as the service's graph queries do. */
const RELATIONS = { types: RELATION_TYPES };

/**
 * The benchmark's queries through the GraphStore, each in a read transaction: the ranking is
 * the service's own use case (`agentsForSkill` with DKG_ENHANCED_ENABLED, as
 * GET /v1/rankings/agents runs it: the skill's HAS_SKILL neighbours ranked by the Wilson lower
 * bound of their evidence), the traversals the store's neighbourhood and shortestPath.
 */
export function adapterQueries(store: GraphStore, sql: Database): GraphQueries {
  const context = { graph: store, sql, enhancedRanking: true };
  return {
    rankAgents: (skillId, limit) =>
      agentsForSkill(context, skillId, { limit, includeRetired: false }),
    neighbourhood: (id, hops) => store.read((tx) => tx.neighbourhood(id, { hops, ...RELATIONS })),
    shortestPath: (from, to, maxHops) =>
      store.read((tx) => tx.shortestPath(from, to, { maxHops, ...RELATIONS })),
  };
}
