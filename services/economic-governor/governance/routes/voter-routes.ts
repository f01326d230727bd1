import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { requireScopes } from '../../../platform/auth.js';
import { addRoute, BEARER_SECURITY } from '../../../platform/openapi.js';
import {
  IdempotencyHeadersSchema,
  jsonBodyOf,
  jsonResponse,
} from '../../../platform/openapi-responses.js';
import type { AppEnv } from '../../../platform/types.js';
import { requireJsonBody } from '../../../platform/validation.js';
import { perform } from '../../routes/perform.js';
import { registerVoter } from '../operations/register-voter.js';
import { GOVERNANCE_PROBLEMS, type GovernanceContext } from './governance-context.js';
import { RegisterVoterSchema, VoterParamsSchema, VoterSchema } from './governance-schemas.js';
import { voterView } from './governance-views.js';

const VoterReply = z.object({ voter: VoterSchema });

/** A voter registers the commitment of their AIA_GOV account before proposals snapshot it. */
export function addVoterRoutes(app: OpenAPIHono<AppEnv>, context: GovernanceContext): void {
  addRoute(
    app,
    createRoute({
      method: 'put',
      path: '/governance/voters/{account_id}',
      tags: ['governance'],
      summary:
        "Register or replace the one commitment of an AIA_GOV account (its owner's, or a treasury admin's)",
      security: BEARER_SECURITY,
      middleware: [requireScopes('governance:write'), requireJsonBody()],
      request: {
        params: VoterParamsSchema,
        headers: IdempotencyHeadersSchema,
        body: jsonBodyOf(RegisterVoterSchema),
      },
      responses: {
        200: jsonResponse(VoterReply, 'Replaced'),
        201: jsonResponse(VoterReply, 'Registered'),
        ...GOVERNANCE_PROBLEMS,
      },
    }),
    async (c) => {
      const { account_id } = c.req.valid('param');
      const input = c.req.valid('json');
      return perform(c, context, {
        name: 'governance.register',
        input: { account_id, ...input },
        work: async (tx, caller) => {
          const { voter, replaced } = await registerVoter(tx, caller, {
            accountId: account_id,
            commitment: BigInt(input.commitment),
          });
          return { status: replaced ? 200 : 201, body: { voter: voterView(voter) } };
        },
      });
    },
  );
}
