import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { requireScopes } from '../../../platform/auth.js';
import { addRoute, BEARER_SECURITY } from '../../../platform/openapi.js';
import { jsonBodyOf, jsonResponse, problemResponses } from '../../../platform/openapi-responses.js';
import type { AppEnv } from '../../../platform/types.js';
import { requireJsonBody } from '../../../platform/validation.js';
import type { ImprovementContext } from '../operations/improvement-context.js';
import { agentVariants, variantDetail } from '../operations/read-variants.js';
import { registerVariant } from '../operations/register-variant.js';
import { requestEvaluation } from '../operations/request-evaluation.js';
import {
  AgentParams,
  EvaluationSchema,
  RegisterVariantSchema,
  VariantDetailSchema,
  VariantPageQuery,
  VariantPageSchema,
  VariantParams,
  VariantSchema,
} from './variant-schemas.js';
import { evaluationView, taskResultsView, variantView } from './variant-views.js';

const PROBLEMS = problemResponses({
  403: 'A required scope is missing (performance:read; performance:admin to register or evaluate)',
  404: 'No such variant',
});
const read = [requireScopes('performance:read')];
const admin = [requireScopes('performance:admin')];

/**
 * Measured improvement: register a candidate variant of an agent and queue its evaluation
 * against its parent (`performance:admin`); list an agent's variants and read one with its
 * per-task results and the statistic that decided it (`performance:read`).
 */
export function addVariantRoutes(app: OpenAPIHono<AppEnv>, context: ImprovementContext): void {
  addRoute(
    app,
    createRoute({
      method: 'post',
      path: '/agents/{id}/variants',
      tags: ['improvement'],
      summary:
        'Register a candidate variant of an agent (a new prompt, model class or strategy version): an agent of its own, or changed settings',
      security: BEARER_SECURITY,
      middleware: [...admin, requireJsonBody()],
      request: { params: AgentParams, body: jsonBodyOf(RegisterVariantSchema) },
      responses: { 201: jsonResponse(VariantSchema, 'Registered'), ...PROBLEMS },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const variant = await registerVariant(
        context,
        c.req.valid('param').id,
        {
          kind: body.kind,
          description: body.description,
          skill: body.skill,
          ...(body.variant_agent_id === undefined ? {} : { variantAgentId: body.variant_agent_id }),
          ...(body.settings === undefined ? {} : { settings: body.settings }),
        },
        c.get('principal')?.subject ?? 'unknown',
      );
      return c.json(variantView(variant, undefined), 201);
    },
  );
  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/agents/{id}/variants',
      tags: ['improvement'],
      summary: "An agent's candidate variants, oldest first, each with its evaluation",
      security: BEARER_SECURITY,
      middleware: read,
      request: { params: AgentParams, query: VariantPageQuery },
      responses: { 200: jsonResponse(VariantPageSchema, 'One page, oldest first'), ...PROBLEMS },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { limit, cursor } = c.req.valid('query');
      const page = await agentVariants(context, id, {
        limit,
        ...(cursor === undefined ? {} : { after: cursor }),
      });
      return c.json({
        agent_id: id,
        variants: page.variants.map(({ variant, evaluation }) => variantView(variant, evaluation)),
        next_cursor: page.next,
      });
    },
  );
  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/variants/{id}',
      tags: ['improvement'],
      summary:
        'A variant, its evaluation against its parent with each task’s results on both sides, and the statistic that decided it',
      security: BEARER_SECURITY,
      middleware: read,
      request: { params: VariantParams },
      responses: { 200: jsonResponse(VariantDetailSchema, 'The variant'), ...PROBLEMS },
    }),
    async (c) => {
      const detail = await variantDetail(context, c.req.valid('param').id);
      return c.json({
        ...variantView(detail.variant, detail.evaluation),
        tasks: taskResultsView(detail.taskIds, detail.results),
      });
    },
  );
  addRoute(
    app,
    createRoute({
      method: 'post',
      path: '/variants/{id}/evaluate',
      tags: ['improvement'],
      summary:
        "Queue the variant's evaluation against its parent on its skill's benchmark set (idempotent: again returns the same evaluation)",
      security: BEARER_SECURITY,
      middleware: admin,
      request: { params: VariantParams },
      responses: {
        202: jsonResponse(EvaluationSchema, 'Queued (or already queued, running or finished)'),
        ...PROBLEMS,
      },
    }),
    async (c) => {
      const { evaluation } = await requestEvaluation(context, c.req.valid('param').id);
      return c.json(evaluationView(evaluation), 202);
    },
  );
}
