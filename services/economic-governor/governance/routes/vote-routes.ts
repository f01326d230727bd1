import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { requireScopes } from '../../../platform/auth.js';
import { ValidationError } from '../../../platform/errors.js';
import { addRoute, BEARER_SECURITY } from '../../../platform/openapi.js';
import { jsonBodyOf, jsonResponse } from '../../../platform/openapi-responses.js';
import type { AppEnv } from '../../../platform/types.js';
import { requireJsonBody } from '../../../platform/validation.js';
import { callerOf } from '../../routes/perform.js';
import { IdParamsSchema } from '../../routes/schemas.js';
import { type Ballot, type CountedBallot, castVote } from '../operations/cast-vote.js';
import { GOVERNANCE_PROBLEMS, type GovernanceContext } from './governance-context.js';
import { AnonymousVoteSchema, CountedVoteSchema, VoteSchema } from './governance-schemas.js';

type VoteInput = z.output<typeof VoteSchema>;

/** The ballot a vote request carries, the fields of its mode present and no other's (422). */
function ballotOf(input: VoteInput): Ballot {
  if (input.mode === 'private') {
    const extra = (['account_id', 'ownership'] as const).filter(
      (field) => input[field] !== undefined,
    );
    if (extra.length > 0) {
      throw new ValidationError(
        extra.map((field) => ({ field, reason: 'not part of a private vote' })),
      );
    }
    return {
      mode: 'private',
      proof: input.proof,
      publicSignals: input.public_signals,
      choice: input.choice,
    };
  }
  const issues = [
    ...(input.account_id === undefined ? [{ field: 'account_id', reason: 'required' }] : []),
    ...(['proof', 'public_signals'] as const)
      .filter((field) => input[field] !== undefined)
      .map((field) => ({ field, reason: 'not part of a signed vote' })),
  ];
  if (issues.length > 0) throw new ValidationError(issues);
  return {
    mode: 'signed',
    accountId: input.account_id as string,
    choice: input.choice,
    ownership: input.ownership,
  };
}

/** Votes: private (a zero-knowledge proof, verified here) or signed (public, by an account's owner). */
export function addVoteRoutes(app: OpenAPIHono<AppEnv>, context: GovernanceContext): void {
  addRoute(
    app,
    createRoute({
      method: 'post',
      path: '/governance/proposals/{id}/votes',
      tags: ['governance'],
      summary:
        'Cast a vote: private with a proof and its public signals, or signed by the owner of an AIA_GOV account. Counted once; never changed',
      security: BEARER_SECURITY,
      middleware: [requireScopes('governance:write'), requireJsonBody()],
      request: { params: IdParamsSchema, body: jsonBodyOf(VoteSchema) },
      responses: {
        201: jsonResponse(z.object({ vote: CountedVoteSchema }), 'Counted'),
        ...GOVERNANCE_PROBLEMS,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const ballot = ballotOf(c.req.valid('json'));
      const vote = await castVote(context.sql, context.verificationKeys, callerOf(c), id, ballot);
      return c.json({ vote: countedView(vote) }, 201);
    },
  );
  addRoute(
    app,
    createRoute({
      method: 'post',
      path: PRIVATE_VOTES_PATH,
      tags: ['governance'],
      summary:
        'Cast a private vote without a token: the proof is the credential, so nothing names the voter (a token would). Counted once; never changed',
      middleware: [requireJsonBody()],
      request: { body: jsonBodyOf(AnonymousVoteSchema) },
      responses: {
        201: jsonResponse(z.object({ vote: CountedVoteSchema }), 'Counted'),
        ...GOVERNANCE_PROBLEMS,
      },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const vote = await castVote(
        context.sql,
        context.verificationKeys,
        { subject: ANONYMOUS_VOTER, admin: false, requestId: c.get('requestId') },
        input.proposal_id,
        {
          mode: 'private',
          proof: input.proof,
          publicSignals: input.public_signals,
          choice: input.choice,
        },
      );
      return c.json({ vote: countedView(vote) }, 201);
    },
  );
}

/** Where a private vote goes without a token (under `/v1`); the kit leaves its POST unauthenticated. */
export const PRIVATE_VOTES_PATH = '/governance/private-votes';

/** Who casts an anonymous vote, as far as the ledger's caller goes: nobody it may name. */
const ANONYMOUS_VOTER = 'anonymous';

const countedView = (vote: CountedBallot) => ({
  id: vote.voteId,
  proposal_id: vote.proposalId,
  mode: vote.mode,
  choice: vote.choice,
  weight: vote.weight.toString(),
  ...(vote.nullifier ? { nullifier: vote.nullifier } : {}),
});
