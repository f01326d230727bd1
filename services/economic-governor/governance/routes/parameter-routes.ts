import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { requireScopes } from '../../../platform/auth.js';
import { addRoute, BEARER_SECURITY } from '../../../platform/openapi.js';
import { jsonResponse } from '../../../platform/openapi-responses.js';
import type { AppEnv } from '../../../platform/types.js';
import { listParameters } from '../repository/parameter-store.js';
import { GOVERNANCE_PROBLEMS, type GovernanceContext } from './governance-context.js';
import { ParameterSchema } from './governance-schemas.js';
import { parameterView } from './governance-views.js';

/** Parameters set by passed parameter_change proposals, for the services that read them. */
export function addParameterRoutes(app: OpenAPIHono<AppEnv>, context: GovernanceContext): void {
  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/governance/parameters',
      tags: ['governance'],
      summary: 'Current values of governed parameters, each with the proposal that set it',
      security: BEARER_SECURITY,
      middleware: [requireScopes('governance:read')],
      responses: {
        200: jsonResponse(z.object({ parameters: z.array(ParameterSchema) }), 'The parameters'),
        ...GOVERNANCE_PROBLEMS,
      },
    }),
    async (c) => {
      const rows = await listParameters(context.sql);
      return c.json({ parameters: rows.map(parameterView) }, 200);
    },
  );
}
