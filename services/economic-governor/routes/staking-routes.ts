import { randomUUID } from 'node:crypto';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { requireScopes } from '../../platform/auth.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../platform/errors.js';
import { addRoute, BEARER_SECURITY } from '../../platform/openapi.js';
import type { AppEnv } from '../../platform/types.js';
import { requireJsonBody } from '../../platform/validation.js';
import { systemAccountId } from '../domain/ledgers.js';
import { findAccount, findTransfer } from '../repository/account-store.js';
import { findStake, insertStake, recordRelease } from '../repository/stake-store.js';
import { amountField } from './commands.js';
import { perform, type WriteContext } from './perform.js';
import { jsonBodyOf, jsonResponse, PROBLEM_RESPONSES } from './responses.js';
import {
  IdempotencyHeadersSchema,
  IdParamsSchema,
  StakeSchema,
  StakeViewSchema,
  TransferSchema,
} from './schemas.js';
import { singleTransfer } from './transfer-routes.js';
import { stakeView, transferView } from './views.js';

const StakeReply = z.object({ stake: StakeViewSchema, transfer: TransferSchema });

/** Staking AIA: the amount moves to the staking account and comes back after the lock period. */
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
      summary: `Stake AIA from an account for the lock period (${lockSeconds} s here)`,
      security: BEARER_SECURITY,
      middleware: [requireScopes('ledger:write'), requireJsonBody()],
      request: { headers: IdempotencyHeadersSchema, body: jsonBodyOf(StakeSchema) },
      responses: { 201: jsonResponse(StakeReply, 'Staked'), ...PROBLEM_RESPONSES },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const amount = amountField(input.amount, 'AIA', 'amount');
      return perform(c, context, {
        name: 'stake',
        input,
        ledger: 'AIA',
        work: async (tx, caller) => {
          const id = input.id ?? randomUUID();
          const existing = await findStake(tx, id);
          if (existing) {
            if (existing.account_id !== input.account_id || BigInt(existing.amount) !== amount) {
              throw new ConflictError(
                `stake ${id} already exists with a different account or amount`,
                {
                  errors: [{ field: 'id', reason: 'already used by another stake' }],
                },
              );
            }
            const found = await findTransfer(tx, existing.stake_transfer_id);
            return {
              status: 200,
              body: { stake: stakeView(existing), transfer: found && transferView(found.transfer) },
            };
          }
          const reply = await singleTransfer(tx, caller, 'stake.create', {
            type: 'create',
            id: randomUUID(),
            kind: 'stake',
            ledger: 'AIA',
            debitAccountId: input.account_id,
            creditAccountId: systemAccountId('AIA', 'staking'),
            amount,
            memo: `stake ${id}`,
          });
          const transfer = (reply.body as { transfer: { id: string } }).transfer;
          const stake = await insertStake(tx, {
            id,
            accountId: input.account_id,
            amount,
            transferId: transfer.id,
            lockSeconds,
          });
          return { ...reply, status: 201, body: { stake: stakeView(stake), transfer } };
        },
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
        work: async (tx, caller) => {
          const stake = await findStake(tx, id, { lock: true });
          if (!stake) throw new NotFoundError(`stake ${id} does not exist`);
          const account = await findAccount(tx, stake.account_id);
          if (!caller.admin && account?.owner !== caller.subject) {
            throw new ForbiddenError(
              `stake ${id} belongs to account ${stake.account_id}, owned by ${account?.owner}`,
            );
          }
          if (stake.release_transfer_id) {
            throw new ConflictError(
              `stake ${id} was already unstaked by transfer ${stake.release_transfer_id}`,
              { errors: [{ field: 'id', reason: 'already unstaked' }] },
            );
          }
          if (stake.unlocks_at > stake.now) {
            throw new ConflictError(
              `stake ${id} is locked until ${stake.unlocks_at.toISOString()}`,
              {
                errors: [{ field: 'id', reason: `locked until ${stake.unlocks_at.toISOString()}` }],
              },
            );
          }
          // The staking account is the system's: the ownership check above is the authorisation.
          const reply = await singleTransfer(tx, { ...caller, admin: true }, 'stake.release', {
            type: 'create',
            id: randomUUID(),
            kind: 'unstake',
            ledger: 'AIA',
            debitAccountId: systemAccountId('AIA', 'staking'),
            creditAccountId: stake.account_id,
            amount: BigInt(stake.amount),
            memo: `unstake ${id}`,
          });
          const transfer = (reply.body as { transfer: { id: string } }).transfer;
          await recordRelease(tx, id, transfer.id);
          return {
            ...reply,
            status: 201,
            body: { stake: stakeView({ ...stake, release_transfer_id: transfer.id }), transfer },
          };
        },
      });
    },
  );
}
