import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { requireScopes } from '../../platform/auth.js';
import { addRoute, BEARER_SECURITY } from '../../platform/openapi.js';
import { jsonResponse, problemResponses } from '../../platform/openapi-responses.js';
import { integerParam, textField } from '../../platform/request-fields.js';
import type { AppEnv } from '../../platform/types.js';
import { REGISTRY_NAMES } from '../domain/registries.js';
import {
  agentsForSkill,
  lineageOf,
  type RankingContext,
  strategiesForTaskType,
  strategyNeeds,
} from '../operations/ranked-queries.js';
import { IdParamsSchema } from './schemas.js';

const PROBLEMS = problemResponses({
  403: 'A required scope is missing (dkg:read)',
  404: 'No such skill, task type, strategy, entry or version (the field is named)',
});
const query = (name: string) => ({ param: { name, in: 'query' as const } });
const read = [requireScopes('dkg:read')];

const PageQuery = {
  limit: integerParam({ min: 1, max: 200, default: 20 }).openapi(query('limit')),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,1000}$/, 'must be the next_cursor of a previous page')
    .optional()
    .openapi(query('cursor')),
};

const Evidence = {
  runs: z.int(),
  successes: z.int(),
  failures: z.int(),
  success_lower_bound: z.number().openapi({ description: 'Wilson score lower bound (95 %)' }),
  mean_quality: z.number().nullable(),
  mean_cost: z.string().nullable().openapi({ description: 'AIA per run, exact' }),
  mean_latency_ms: z.number().nullable(),
  max_latency_ms: z.number().nullable(),
};
const Named = z.object({ id: z.string(), name: z.string() });

const RankedAgentsSchema = z
  .object({
    skill: Named,
    ranked_by: z.enum(['success_lower_bound', 'level']),
    agents: z.array(
      z.object({
        agent: z.object({ id: z.string(), name: z.string(), status: z.string() }),
        level: z.int().nullable(),
        ...Evidence,
      }),
    ),
    next_cursor: z.string().nullable(),
  })
  .openapi('RankedAgents');

const RankedStrategiesSchema = z
  .object({
    task_type: Named,
    ranked_by: z.enum(['success_lower_bound', 'name']),
    strategies: z.array(z.object({ strategy: Named, ...Evidence })),
    next_cursor: z.string().nullable(),
  })
  .openapi('RankedStrategies');

const StrategyNeedsSchema = z
  .object({
    strategy: Named,
    tools: z.array(Named.extend({ uses: z.boolean(), required_by: z.array(Named) })),
    skills: z.array(Named),
    task_types: z.array(Named),
  })
  .openapi('StrategyNeeds');

const LineageSchema = z
  .object({
    entry_id: z.string(),
    version: z.int(),
    lineage: z.array(
      z.object({
        id: z.string(),
        entry_id: z.string(),
        registry: z.enum(REGISTRY_NAMES).nullable(),
        number: z.int(),
        name: z.string(),
        created_by: z.string(),
        created_at: z.string(),
        depth: z.int(),
        derived_from: z.array(z.string()),
      }),
    ),
    complete: z.boolean(),
  })
  .openapi('Lineage');

/**
 * The ranked queries (scope dkg:read): agents for a skill, the best strategies for a task type,
 * what a strategy needs, and an entry's lineage. Ranking follows `context.enhancedRanking`
 * (DKG_ENHANCED_ENABLED).
 */
export function addRankingRoutes(app: OpenAPIHono<AppEnv>, context: RankingContext): void {
  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/rankings/agents',
      tags: ['rankings'],
      summary:
        'Agents with a skill, best first: by the success lower bound of their runs (DKG_ENHANCED_ENABLED), else by declared level',
      security: BEARER_SECURITY,
      middleware: read,
      request: {
        query: z.object({
          skill_id: z.uuid('must be a skill id (UUID)').openapi(query('skill_id')),
          include_retired: z
            .enum(['true', 'false'], { error: 'must be true or false' })
            .default('false')
            .openapi(query('include_retired')),
          ...PageQuery,
        }),
      },
      responses: { 200: jsonResponse(RankedAgentsSchema, 'One page, best first'), ...PROBLEMS },
    }),
    async (c) => {
      const { skill_id: skillId, include_retired, limit, cursor } = c.req.valid('query');
      return c.json(
        await agentsForSkill(context, skillId, {
          limit,
          includeRetired: include_retired === 'true',
          ...(cursor === undefined ? {} : { cursor }),
        }),
      );
    },
  );
  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/rankings/strategies',
      tags: ['rankings'],
      summary:
        'Strategies that apply to a task type, best first by the success lower bound of their runs (DKG_ENHANCED_ENABLED), else in name order',
      security: BEARER_SECURITY,
      middleware: read,
      request: {
        query: z.object({
          task_type: textField({ min: 1, max: 200 }).openapi(query('task_type')),
          ...PageQuery,
        }),
      },
      responses: {
        200: jsonResponse(RankedStrategiesSchema, 'One page, best first'),
        ...PROBLEMS,
      },
    }),
    async (c) => {
      const { task_type: taskType, limit, cursor } = c.req.valid('query');
      return c.json(
        await strategiesForTaskType(context, taskType, {
          limit,
          ...(cursor === undefined ? {} : { cursor }),
        }),
      );
    },
  );
  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/strategies/{id}/needs',
      tags: ['rankings'],
      summary:
        'What a strategy needs: the tools it uses, the skills it applies to and the tools they require',
      security: BEARER_SECURITY,
      middleware: read,
      request: { params: IdParamsSchema },
      responses: {
        200: jsonResponse(StrategyNeedsSchema, 'Tools, skills, task types'),
        ...PROBLEMS,
      },
    }),
    async (c) => c.json(await strategyNeeds(context, c.req.valid('param').id)),
  );
  for (const registry of REGISTRY_NAMES)
    addRoute(
      app,
      createRoute({
        method: 'get',
        path: `/${registry}/{id}/lineage`,
        tags: [registry],
        summary:
          "An entry's lineage: from a version (default the current one) back along DERIVED_FROM, nearest first",
        security: BEARER_SECURITY,
        middleware: read,
        request: {
          params: IdParamsSchema,
          query: z.object({
            version: integerParam({ min: 1, max: 1_000_000 }).optional().openapi(query('version')),
          }),
        },
        responses: { 200: jsonResponse(LineageSchema, 'The lineage'), ...PROBLEMS },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const { version } = c.req.valid('query');
        return c.json(await lineageOf(context, registry, id, version));
      },
    );
}
