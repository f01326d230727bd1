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
import { formatAmount } from '../domain/amounts.js';
import { scaleOf } from '../domain/ledgers.js';
import { changeSupply, distributeRewards } from '../operations/treasury.js';
import { listAudit } from '../repository/audit-store.js';
import { amountField } from './commands.js';
import { perform, type WriteContext } from './perform.js';
import { PROBLEM_RESPONSES } from './responses.js';
import {
  PageQuerySchema,
  RewardDistributionSchema,
  SupplyChangeSchema,
  TransferSchema,
} from './schemas.js';
import { transferReply } from './transfer-routes.js';

const admin = () => [requireScopes('treasury:admin')];

/**
 * Treasury operations: mint, burn and the audit log behind `treasury:admin`; reward distributions
 * behind `rewards:distribute`, which pays from the reward pool and can do nothing else.
 */
export function addTreasuryRoutes(app: OpenAPIHono<AppEnv>, context: WriteContext): void {
  for (const kind of ['mint', 'burn'] as const) {
    addRoute(
      app,
      createRoute({
        method: 'post',
        path: `/treasury/${kind}`,
        tags: ['treasury'],
        summary:
          kind === 'mint'
            ? 'Create new tokens in the treasury (raises the supply)'
            : 'Destroy tokens held by the treasury (lowers the supply)',
        security: BEARER_SECURITY,
        middleware: [...admin(), requireJsonBody()],
        request: { headers: IdempotencyHeadersSchema, body: jsonBodyOf(SupplyChangeSchema) },
        responses: {
          201: jsonResponse(z.object({ transfer: TransferSchema }), 'Done'),
          ...PROBLEM_RESPONSES,
        },
      }),
      async (c) => {
        const input = c.req.valid('json');
        const amount = amountField(input.amount, input.ledger, 'amount');
        return perform(c, context, {
          name: kind,
          input,
          ledger: input.ledger,
          work: async (tx, caller) =>
            transferReply(await changeSupply(tx, caller, kind, { ...input, amount })),
        });
      },
    );
  }

  addRoute(
    app,
    createRoute({
      method: 'post',
      path: '/rewards/distributions',
      tags: ['treasury'],
      summary: 'Pay rewards from the reward pool to up to 8,000 accounts, all or none',
      security: BEARER_SECURITY,
      // Its own scope, not treasury:admin: the tracker pays each epoch and must not mint or burn.
      middleware: [requireScopes('rewards:distribute'), requireJsonBody()],
      request: { headers: IdempotencyHeadersSchema, body: jsonBodyOf(RewardDistributionSchema) },
      responses: {
        201: jsonResponse(
          z.object({
            distribution: z.object({
              id: z.string(),
              ledger: z.string(),
              rewards: z.int(),
              total: z.string(),
              transfer_ids: z.array(z.string()),
            }),
          }),
          'Paid',
        ),
        200: jsonResponse(z.object({}), 'This distribution was already paid'),
        ...PROBLEM_RESPONSES,
      },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const distribution = {
        id: input.id ?? randomUUID(),
        ledger: input.ledger,
        memo: input.memo,
        rewards: input.rewards.map((reward, index) => ({
          accountId: reward.account_id,
          amount: amountField(reward.amount, input.ledger, `rewards.${index}.amount`),
        })),
      };
      return perform(c, context, {
        name: 'reward',
        input,
        ledger: input.ledger,
        transfers: distribution.rewards.length,
        work: async (tx, caller) => {
          // rewards:distribute authorises debiting the reward pool, the one account a
          // distribution debits (a system account, which otherwise only treasury:admin may).
          const paid = await distributeRewards(tx, { ...caller, admin: true }, distribution);
          return {
            status: paid.created ? 201 : 200,
            body: {
              distribution: {
                id: distribution.id,
                ledger: input.ledger,
                rewards: distribution.rewards.length,
                total: formatAmount(paid.total, scaleOf(input.ledger)),
                transfer_ids: paid.transferIds,
              },
            },
            ledger: input.ledger,
            results: paid.results,
          };
        },
      });
    },
  );

  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/audit',
      tags: ['treasury'],
      summary: 'The audit log, newest first: every operation, who did it, with which request',
      security: BEARER_SECURITY,
      middleware: admin(),
      request: { query: PageQuerySchema },
      responses: {
        200: jsonResponse(
          z.object({
            entries: z.array(
              z.object({
                id: z.string(),
                at: z.string(),
                actor: z.string(),
                action: z.string(),
                request_id: z.string().nullable(),
                ledger: z.string().nullable(),
                details: z.record(z.string(), z.unknown()),
              }),
            ),
            next_cursor: z.string().nullable(),
          }),
          'One page',
        ),
        ...PROBLEM_RESPONSES,
      },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const rows = await listAudit(context.sql, cursor, limit);
      return c.json({
        entries: rows.map((row) => ({ ...row, at: row.at.toISOString() })),
        next_cursor: rows.length === limit ? (rows.at(-1)?.id ?? null) : null,
      });
    },
  );
}
