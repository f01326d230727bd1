import { idempotencyKeySweeper } from '../platform/idempotency/sweeper.js';
import { defineModule } from '../platform/module.js';
import { dkgManager } from './definition.js';
import { neo4jGraphStore } from './graph/neo4j/neo4j-graph-store.js';
import { postgresGraphStore } from './graph/postgres/postgres-graph-store.js';
import { startDkgConsumers } from './operations/dkg-consumers.js';
import { addEntryRoutes } from './routes/entry-routes.js';
import { addExportRoutes } from './routes/export-routes.js';
import { GRAPH_PAGE_ACCESS, graphPageRoutes } from './routes/graph-page-routes.js';
import { addGraphRoutes } from './routes/graph-routes.js';
import { addRankingRoutes } from './routes/ranking-routes.js';
import { addRelationRoutes } from './routes/relation-routes.js';
import { evidenceCopyWorker } from './workers/evidence-copy.js';

/** How long a create stays replayable for its Idempotency-Key. */
const IDEMPOTENCY_KEY_TTL_HOURS = 24;

/**
 * The skill, tool, strategy and agent registries in the knowledge graph: versioned entries and
 * their relations under `/v1` (scopes `dkg:read`, `dkg:write`). The graph is Neo4j when
 * GRAPH_BACKEND=neo4j (its Cypher migrations run at start, or before the first write when Neo4j
 * did not answer then; the kit's readiness checks the driver), else the service's PostgreSQL (its migrations run with the service's; readiness is the
 * database's).
 */
export const dkgManagerModule = defineModule(
  dkgManager,
  {
    title: 'AIA DKG Manager',
    description:
      'Skill, tool, strategy and agent registries: versioned entries (immutable versions, lineage) and their relations in a knowledge graph. Scopes: dkg:read, dkg:write.',
  },
  ({ config, stores: { db: sql, graph: driver }, router, logger, events }) => {
    const graph =
      config.GRAPH_BACKEND === 'neo4j' && driver
        ? neo4jGraphStore(driver)
        : postgresGraphStore(sql);
    const context = { graph, sql };
    const routes = router();
    addEntryRoutes(routes, context);
    addRelationRoutes(routes, context);
    addGraphRoutes(routes, context);
    addExportRoutes(routes, context);
    addRankingRoutes(routes, { ...context, enhancedRanking: config.DKG_ENHANCED_ENABLED });
    return {
      routes,
      // The graph page at /v1/explore/, GET and HEAD without a token (no data in it: it calls
      // /v1 with the token a person pastes).
      publicRoutes: graphPageRoutes(),
      unauthenticatedApiPrefixes: [GRAPH_PAGE_ACCESS],
      // PostgreSQL's graph tables come with the service's migrations, before the module starts.
      // Neo4j's are applied in the background from start; when Neo4j does not answer, the
      // service runs anyway (its readiness reports neo4j) and the first write applies them.
      // The consumers (the agent mirror, the runs' evidence) join the bus, which stops them.
      start: async () => {
        if (graph.backend === 'neo4j')
          // Not awaited: the driver retries an unreachable Neo4j for up to 30 s, and the
          // service must listen (and report neo4j in /readyz) meanwhile.
          void graph.migrate().catch((error: unknown) => {
            logger.warn({ err: error }, 'Neo4j migrations not applied yet: the first write will');
          });
        if (events) await startDkgConsumers(events, context);
      },
      workers: [
        idempotencyKeySweeper({ sql, ttlHours: IDEMPOTENCY_KEY_TTL_HOURS }),
        evidenceCopyWorker(context),
      ],
    };
  },
);
