import { idempotencyKeySweeper } from '../platform/idempotency/sweeper.js';
import { defineModule } from '../platform/module.js';
import { dkgManager } from './definition.js';
import { neo4jGraphStore } from './graph/neo4j/neo4j-graph-store.js';
import { postgresGraphStore } from './graph/postgres/postgres-graph-store.js';
import { addEntryRoutes } from './routes/entry-routes.js';
import { addGraphRoutes } from './routes/graph-routes.js';
import { addRelationRoutes } from './routes/relation-routes.js';

/** How long a create stays replayable for its Idempotency-Key. */
const IDEMPOTENCY_KEY_TTL_HOURS = 24;

/**
 * The skill, tool, strategy and agent registries in the knowledge graph: versioned entries and
 * their relations under `/v1` (scopes `dkg:read`, `dkg:write`). The graph is Neo4j when
 * GRAPH_BACKEND=neo4j (its Cypher migrations run at start; the kit's readiness checks the
 * driver), else the service's PostgreSQL (its migrations run with the service's; readiness is the
 * database's).
 */
export const dkgManagerModule = defineModule(
  dkgManager,
  {
    title: 'AIA DKG Manager',
    description:
      'Skill, tool, strategy and agent registries: versioned entries (immutable versions, lineage) and their relations in a knowledge graph. Scopes: dkg:read, dkg:write.',
  },
  ({ config, stores: { db: sql, graph: driver }, router }) => {
    const graph =
      config.GRAPH_BACKEND === 'neo4j' && driver
        ? neo4jGraphStore(driver)
        : postgresGraphStore(sql);
    const context = { graph, sql };
    const routes = router();
    addEntryRoutes(routes, context);
    addRelationRoutes(routes, context);
    addGraphRoutes(routes, context);
    return {
      routes,
      // PostgreSQL's graph tables come with the service's migrations, before the module starts.
      start: graph.backend === 'neo4j' ? () => graph.migrate() : undefined,
      workers: [idempotencyKeySweeper({ sql, ttlHours: IDEMPOTENCY_KEY_TTL_HOURS })],
    };
  },
);
