import { randomUUID } from 'node:crypto';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { requireScopes } from '../../platform/auth.js';
import { addRoute, BEARER_SECURITY } from '../../platform/openapi.js';
import {
  IdempotencyHeadersSchema,
  jsonBodyOf,
  jsonResponse,
} from '../../platform/openapi-responses.js';
import type { AppEnv } from '../../platform/types.js';
import { requireJsonBody } from '../../platform/validation.js';
import { type StakeOutcome, stake, unstake } from '../operations/staking.js';
import { amountField } from './commands.js';
import { perform, type Reply, type WriteContext } from './perform.js';
import { PROBLEM_RESPONSES } from './responses.js';
import { IdParamsSchema, StakeSchema, StakeViewSchema, TransferSchema } from './schemas.js';
import { stakeView, transferView } from './views.js';

const StakeReply = z.object({ stake: StakeViewSchema, transfer: TransferSchema });

const stakeReply = ({ stake, transfer, created, results }: StakeOutcome): Reply => ({
  status: created ? 201 : 200,
  body: { stake: stakeView(stake), transfer: transfer && transferView(transfer) },
  ledger: stake.ledger,
  results,
});

/**
 * Staking AIA or AIA_GOV: the amount moves to the ledger's staking account and comes back after
 * the lock period.
 */
export function addStakingRoutes(
  app: OpenAPIHono<AppEnv>,
  context: WriteContext,
  lockSeconds: number,
): void {
  addRoute(
    app,
    createRoute({
      method: 'post',
      path: '/stakes',
      tags: ['staking'],
      summary: `Stake AIA or AIA_GOV from an account for the lock period (${lockSeconds} s here)`,
      security: BEARER_SECURITY,
      middleware: [requireScopes('ledger:write'), requireJsonBody()],
      request: { headers: IdempotencyHeadersSchema, body: jsonBodyOf(StakeSchema) },
      responses: { 201: jsonResponse(StakeReply, 'Staked'), ...PROBLEM_RESPONSES },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const amount = amountField(input.amount, input.ledger, 'amount');
      return perform(c, context, {
        name: 'stake',
        input,
        ledger: input.ledger,
        work: async (tx, caller) =>
          stakeReply(
            await stake(tx, caller, {
              id: input.id ?? randomUUID(),
              accountId: input.account_id,
              ledger: input.ledger,
              amount,
              lockSeconds,
            }),
          ),
      });
    },
  );

  addRoute(
    app,
    createRoute({
      method: 'post',
      path: '/stakes/{id}/unstake',
      tags: ['staking'],
      summary: 'Return a stake to its account once its lock period is over (exactly once)',
      security: BEARER_SECURITY,
      middleware: [requireScopes('ledger:write')],
      request: { params: IdParamsSchema, headers: IdempotencyHeadersSchema },
      responses: { 201: jsonResponse(StakeReply, 'Unstaked'), ...PROBLEM_RESPONSES },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      return perform(c, context, {
        name: 'unstake',
        input: { id },
        ledger: 'AIA',
        work: async (tx, caller) => stakeReply(await unstake(tx, caller, id)),
      });
    },
  );
}
