import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { requireScopes } from '../../platform/auth.js';
import { addRoute, BEARER_SECURITY } from '../../platform/openapi.js';
import { jsonBodyOf, jsonResponse, problemResponses } from '../../platform/openapi-responses.js';
import type { AppEnv } from '../../platform/types.js';
import { requireJsonBody } from '../../platform/validation.js';
import { RelationInputSchema } from '../domain/entry-schemas.js';
import type { DkgContext } from '../operations/dkg-context.js';
import { deleteRelation, putRelation } from '../operations/relations.js';
import { subjectOf } from './entry-routes.js';
import { RelationParamsSchema, RelationReplySchema } from './schemas.js';

const PROBLEMS = problemResponses({
  403: 'A required scope is missing (dkg:write)',
  404: 'No such relation',
  409: 'The relation would close a cycle (lineage_cycle, hierarchy_cycle)',
});

/** Relations between entries (and versions): set (idempotent, PUT) and remove. */
export function addRelationRoutes(app: OpenAPIHono<AppEnv>, context: DkgContext): void {
  addRoute(
    app,
    createRoute({
      method: 'put',
      path: '/relations',
      tags: ['relations'],
      summary:
        'Set a relation: agent HAS_SKILL skill (level 1-5), skill REQUIRES tool, strategy USES tool, strategy APPLIES_TO skill or task type, version DERIVED_FROM version, agent MANAGES agent',
      security: BEARER_SECURITY,
      middleware: [requireScopes('dkg:write'), requireJsonBody()],
      request: { body: jsonBodyOf(RelationInputSchema) },
      responses: { 200: jsonResponse(RelationReplySchema, 'Set'), ...PROBLEMS },
    }),
    async (c) =>
      c.json({ relation: await putRelation(context, c.req.valid('json'), subjectOf(c)) }),
  );
  addRoute(
    app,
    createRoute({
      method: 'delete',
      path: '/relations/{type}/{from_id}/{to_id}',
      tags: ['relations'],
      summary: 'Remove a relation',
      security: BEARER_SECURITY,
      middleware: [requireScopes('dkg:write')],
      request: { params: RelationParamsSchema },
      responses: { 204: { description: 'Removed' }, ...PROBLEMS },
    }),
    async (c) => {
      const { type, from_id: from, to_id: to } = c.req.valid('param');
      await deleteRelation(context, type, from, to, subjectOf(c));
      return c.body(null, 204);
    },
  );
}
