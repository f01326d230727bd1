import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { requireScopes } from '../../platform/auth.js';
import { addRoute, BEARER_SECURITY } from '../../platform/openapi.js';
import { jsonResponse, problemResponses } from '../../platform/openapi-responses.js';
import type { AppEnv } from '../../platform/types.js';
import { DEFAULT_WINDOW, WINDOW_NAMES } from '../domain/windows.js';
import { agentRankHistory, agentScorecard, leaderboard } from '../operations/read-performance.js';
import type { TrackerContext } from '../operations/tracker-context.js';
import {
  AgentParamsSchema,
  AgentScorecardSchema,
  LeaderboardSchema,
  PageQuery,
  RankHistorySchema,
  SkillQuery,
} from './schemas.js';
import { agentScorecardView, leaderboardView, rankHistoryView } from './views.js';

const PROBLEMS = problemResponses({
  403: 'A required scope is missing (performance:read)',
  404: 'No runs of this agent have been taken in',
});
const read = [requireScopes('performance:read')];

/**
 * The tracker's read API (scope performance:read): leaderboards (every agent, or per skill) in a
 * window, an agent's scorecards, and an agent's rank history.
 */
export function addPerformanceRoutes(app: OpenAPIHono<AppEnv>, context: TrackerContext): void {
  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/leaderboard',
      tags: ['performance'],
      summary:
        'Agents best first by the lower bound of their completion rate in a window, each with its scorecard; per skill with skill=',
      security: BEARER_SECURITY,
      middleware: read,
      request: { query: z.object({ ...SkillQuery, ...PageQuery }) },
      responses: { 200: jsonResponse(LeaderboardSchema, 'One page, best first'), ...PROBLEMS },
    }),
    async (c) => {
      const { skill, window, limit, cursor } = c.req.valid('query');
      const board = await leaderboard(context, {
        window,
        limit,
        ...(skill === undefined ? {} : { skill }),
        ...(cursor === undefined ? {} : { cursor }),
      });
      return c.json(leaderboardView(board, context.windows));
    },
  );
  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/agents/{id}/scorecard',
      tags: ['performance'],
      summary: "An agent's scorecards in a window: over all its skills, and per skill",
      security: BEARER_SECURITY,
      middleware: read,
      request: {
        params: AgentParamsSchema,
        query: z.object({ window: PageQuery.window }),
      },
      responses: { 200: jsonResponse(AgentScorecardSchema, 'The scorecards'), ...PROBLEMS },
    }),
    async (c) => {
      const card = await agentScorecard(
        context,
        c.req.valid('param').id,
        c.req.valid('query').window,
      );
      return c.json(agentScorecardView(card, context.windows));
    },
  );
  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/agents/{id}/rank-history',
      tags: ['performance'],
      summary: `An agent's rank changes in a ranking (every agent, or skill=), newest first; window ${WINDOW_NAMES.join(' or ')}, default ${DEFAULT_WINDOW}`,
      security: BEARER_SECURITY,
      middleware: read,
      request: { params: AgentParamsSchema, query: z.object({ ...SkillQuery, ...PageQuery }) },
      responses: { 200: jsonResponse(RankHistorySchema, 'One page, newest first'), ...PROBLEMS },
    }),
    async (c) => {
      const { skill, window, limit, cursor } = c.req.valid('query');
      const { id } = c.req.valid('param');
      const page = await agentRankHistory(context, id, {
        window,
        limit,
        ...(skill === undefined ? {} : { skill }),
        ...(cursor === undefined ? {} : { cursor }),
      });
      return c.json(rankHistoryView(id, page));
    },
  );
}
