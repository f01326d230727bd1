import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { requireScopes } from '../../../platform/auth.js';
import { NotFoundError } from '../../../platform/errors.js';
import { addRoute, BEARER_SECURITY } from '../../../platform/openapi.js';
import {
  IdempotencyHeadersSchema,
  jsonBodyOf,
  jsonResponse,
} from '../../../platform/openapi-responses.js';
import type { AppEnv } from '../../../platform/types.js';
import { requireJsonBody } from '../../../platform/validation.js';
import { perform } from '../../routes/perform.js';
import { IdParamsSchema, PageQuerySchema } from '../../routes/schemas.js';
import { openProposal } from '../operations/open-proposal.js';
import { findProposal, listProposals, snapshotLeaves } from '../repository/proposal-store.js';
import { GOVERNANCE_PROBLEMS, type GovernanceContext } from './governance-context.js';
import { NewProposalSchema, ProposalSchema, SnapshotSchema } from './governance-schemas.js';
import { proposalView } from './governance-views.js';
import { proposalAction } from './proposal-action.js';

const ProposalReply = z.object({ proposal: ProposalSchema });

/** Proposals: open one (taking the snapshot), list them, read one and its snapshot. */
export function addProposalRoutes(app: OpenAPIHono<AppEnv>, context: GovernanceContext): void {
  addRoute(
    app,
    createRoute({
      method: 'post',
      path: '/governance/proposals',
      tags: ['governance'],
      summary: 'Open a proposal: its voting period starts and the snapshot of voters is taken',
      security: BEARER_SECURITY,
      middleware: [requireScopes('governance:write'), requireJsonBody()],
      request: { headers: IdempotencyHeadersSchema, body: jsonBodyOf(NewProposalSchema) },
      responses: { 201: jsonResponse(ProposalReply, 'Opened'), ...GOVERNANCE_PROBLEMS },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const action = proposalAction(input.kind, input.action);
      return perform(c, context, {
        name: 'governance.propose',
        input,
        work: async (tx, caller) => {
          const proposal = await openProposal(
            tx,
            caller,
            {
              proposerAccountId: input.proposer_account_id,
              title: input.title,
              body: input.body,
              kind: input.kind,
              action,
              votingSeconds: input.voting_seconds,
              quorum: BigInt(input.quorum),
              modes: input.modes,
            },
            context.proposalThreshold,
          );
          return { status: 201, body: { proposal: proposalView(proposal) } };
        },
      });
    },
  );

  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/governance/proposals',
      tags: ['governance'],
      summary: 'Proposals, newest first; pass next_cursor to get the next page',
      security: BEARER_SECURITY,
      middleware: [requireScopes('governance:read')],
      request: { query: PageQuerySchema },
      responses: {
        200: jsonResponse(
          z.object({ proposals: z.array(ProposalSchema), next_cursor: z.string().nullable() }),
          'A page of proposals',
        ),
        ...GOVERNANCE_PROBLEMS,
      },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const rows = await listProposals(context.sql, limit, cursor);
      const last = rows.at(-1);
      return c.json(
        {
          proposals: rows.map(proposalView),
          next_cursor: rows.length === limit && last ? last.seq : null,
        },
        200,
      );
    },
  );

  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/governance/proposals/{id}',
      tags: ['governance'],
      summary:
        'A proposal: its state, snapshot root and size, closing time, and tally once tallied',
      security: BEARER_SECURITY,
      middleware: [requireScopes('governance:read')],
      request: { params: IdParamsSchema },
      responses: { 200: jsonResponse(ProposalReply, 'The proposal'), ...GOVERNANCE_PROBLEMS },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const row = await findProposal(context.sql, id);
      if (!row) throw new NotFoundError(`proposal ${id} does not exist`);
      return c.json({ proposal: proposalView(row) }, 200);
    },
  );

  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/governance/proposals/{id}/snapshot',
      tags: ['governance'],
      summary:
        "The proposal's snapshot: root, size, leaves in order and each leaf's weight (a voter finds their leaf, Poseidon(identity, weight), and builds their Merkle proof from it)",
      security: BEARER_SECURITY,
      middleware: [requireScopes('governance:read')],
      request: { params: IdParamsSchema },
      responses: { 200: jsonResponse(SnapshotSchema, 'The snapshot'), ...GOVERNANCE_PROBLEMS },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const row = await findProposal(context.sql, id);
      if (!row) throw new NotFoundError(`proposal ${id} does not exist`);
      const leaves = await snapshotLeaves(context.sql, id);
      return c.json(
        {
          root: row.snapshot_root,
          size: row.snapshot_size,
          leaves: leaves.map(({ leaf }) => leaf),
          leaf_weights: leaves.map(({ weight }) => weight),
        },
        200,
      );
    },
  );
}
