import { idempotencyKeySweeper } from '../platform/idempotency/sweeper.js';
import { defineModule } from '../platform/module.js';
import { agentOrchestrator } from './definition.js';
import { addAgentRoutes } from './routes/agent-routes.js';
import { agentCardRoutes } from './routes/card-routes.js';

/** How long a registration stays replayable for its Idempotency-Key. */
const IDEMPOTENCY_KEY_TTL_HOURS = 24;

/**
 * The agent registry: its API under `/v1` (scopes `agents:read`, `agents:write`), the agents' A2A
 * cards in public under `/a2a/agents`, and the sweep of old `Idempotency-Key` replies.
 */
export const agentOrchestratorModule = defineModule(
  agentOrchestrator,
  {
    title: 'AIA Agent Orchestrator',
    description:
      'Agent registry: agents with A2A cards, a hierarchy (no cycles, depth at most MAX_DELEGATION_DEPTH) and an AIA account each. Scopes: agents:read, agents:write.',
  },
  ({ config, stores: { db: sql }, clients, router }) => {
    const context = {
      sql,
      governor: clients['economic-governor'],
      maxDepth: config.MAX_DELEGATION_DEPTH,
    };
    const routes = router();
    addAgentRoutes(routes, context);
    return {
      routes,
      publicRoutes: agentCardRoutes(sql, config.A2A_PUBLIC_URL),
      workers: [idempotencyKeySweeper({ sql, ttlHours: IDEMPOTENCY_KEY_TTL_HOURS })],
    };
  },
);
