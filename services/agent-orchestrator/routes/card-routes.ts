import { AGENT_CARD_PATH, AgentCard } from '@a2a-js/sdk';
import { z } from '@hono/zod-openapi';
import { Hono } from 'hono';
import type { Database } from '../../platform/db.js';
import { NotFoundError } from '../../platform/errors.js';
import { integerParam } from '../../platform/request-fields.js';
import type { AppEnv } from '../../platform/types.js';
import { pathParams, queryParams } from '../../platform/validation.js';
import { agentCardOf } from '../domain/agent-card.js';
import { AgentIdSchema } from '../domain/agent-schemas.js';
import { findAgent, listAgents } from '../repository/agent-store.js';
import { CursorSchema } from './schemas.js';

/**
 * Cards change when their agent does: a minute of shared caching keeps discovery cheap when their
 * URLs come from A2A_PUBLIC_URL. Derived from the request's Host, a card must not be cached for
 * anyone else (a forged Host would otherwise point every reader's client, and its bearer token,
 * at another server).
 */
const cacheFor = (publicUrl: string | undefined): Record<string, string> =>
  publicUrl
    ? { 'Cache-Control': 'public, max-age=60' }
    : { 'Cache-Control': 'no-store', Vary: 'Host' };

const IndexQuery = z.object({
  limit: integerParam({ min: 1, max: 500, default: 100 }),
  cursor: CursorSchema,
});

/**
 * Public A2A discovery, outside `/v1` and without a token (cards are public documents; calling
 * an agent needs the bearer token its card declares): each active agent's card at
 * `/a2a/agents/{id}/.well-known/agent-card.json`, and `/a2a/agents`, a JSON array of the active
 * agents' cards in registration order (`?limit=`, and a `Link: <…>; rel="next"` header while
 * more follow). Interface URLs start with `publicUrl` (`A2A_PUBLIC_URL`), else the request's origin.
 */
export function agentCardRoutes(sql: Database, publicUrl?: string): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const CACHE = cacheFor(publicUrl);
  app.get('/a2a/agents', queryParams(IndexQuery), async (c) => {
    const { limit, cursor } = c.req.valid('query');
    const { agents, next } = await listAgents(sql, {
      status: 'active',
      limit,
      ...(cursor === undefined ? {} : { after: cursor }),
    });
    const url = new URL(c.req.url);
    if (next !== null) {
      url.search = new URLSearchParams({ limit: String(limit), cursor: next }).toString();
      c.header('Link', `<${url.toString()}>; rel="next"`);
    }
    return c.json(
      agents.map((agent) => AgentCard.toJSON(agentCardOf(agent, publicUrl ?? url.origin))),
      200,
      CACHE,
    );
  });
  app.get(
    `/a2a/agents/:id/${AGENT_CARD_PATH}`,
    pathParams(z.object({ id: AgentIdSchema })),
    async (c) => {
      const { id } = c.req.valid('param');
      const agent = await findAgent(sql, id);
      if (agent?.status !== 'active')
        throw new NotFoundError(`no active agent ${id} is registered`);
      const origin = publicUrl ?? new URL(c.req.url).origin;
      return c.json(AgentCard.toJSON(agentCardOf(agent, origin)), 200, CACHE);
    },
  );
  return app;
}
