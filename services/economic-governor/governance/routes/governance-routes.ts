import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../../platform/types.js';
import type { GovernanceContext } from './governance-context.js';
import { addParameterRoutes } from './parameter-routes.js';
import { addProposalRoutes } from './proposal-routes.js';
import { addVoteRoutes } from './vote-routes.js';
import { addVoterRoutes } from './voter-routes.js';

/** Everything under /v1/governance (served only with GOVERNANCE_ENABLED). */
export function addGovernanceRoutes(app: OpenAPIHono<AppEnv>, context: GovernanceContext): void {
  addVoterRoutes(app, context);
  addProposalRoutes(app, context);
  addVoteRoutes(app, context);
  addParameterRoutes(app, context);
}
