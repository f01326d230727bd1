import { AGENT_CARD_PATH, AgentCard } from '@a2a-js/sdk';
import { Hono } from 'hono';
import type { AppEnv } from '../types.js';

export interface AgentCardRouteOptions {
  /** The card, or where to get it (an agent whose card changes with its configuration). */
  readonly card: AgentCard | (() => Promise<AgentCard>);
  /** Default `/.well-known/agent-card.json` (A2A 1.0). */
  readonly path?: string;
  /** `Cache-Control: public, max-age=…`. Default 300. */
  readonly maxAgeSeconds?: number;
}

/**
 * Serves an agent card in the spec's JSON form. `AgentCard.toJSON`, not `JSON.stringify`: the
 * SDK's typed card holds oneofs as `{ $case, value }`, which is not what clients expect.
 *
 * @example
 * app.route('/', agentCardRoute({ card: () => handler.getAgentCard() }));
 */
export function agentCardRoute({
  card,
  path = `/${AGENT_CARD_PATH}`,
  maxAgeSeconds = 300,
}: AgentCardRouteOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get(path, async (c) => {
    const current = typeof card === 'function' ? await card() : card;
    c.header('Cache-Control', `public, max-age=${maxAgeSeconds}`);
    return c.json(AgentCard.toJSON(current) as Record<string, unknown>);
  });
  return app;
}
