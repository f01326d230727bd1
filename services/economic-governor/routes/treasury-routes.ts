import { randomUUID } from 'node:crypto';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { requireScopes } from '../../platform/auth.js';
import { addRoute, BEARER_SECURITY } from '../../platform/openapi.js';
import type { AppEnv } from '../../platform/types.js';
import { requireJsonBody } from '../../platform/validation.js';
import { formatAmount } from '../domain/amounts.js';
import { derivedId } from '../domain/derived-id.js';
import { scaleOf, systemAccountId } from '../domain/ledgers.js';
import type { TransferCommand } from '../domain/types.js';
import { applyOperation } from '../ledger.js';
import { listAudit } from '../repository/audit-store.js';
import { amountField } from './commands.js';
import { perform, type WriteContext } from './perform.js';
import { jsonBodyOf, jsonResponse, PROBLEM_RESPONSES } from './responses.js';
import {
  IdempotencyHeadersSchema,
  PageQuerySchema,
  RewardDistributionSchema,
  SupplyChangeSchema,
  TransferSchema,
} from './schemas.js';
import { TransferRefusedError } from './transfer-refused.js';
import { singleTransfer } from './transfer-routes.js';

const admin = () => [requireScopes('treasury:admin')];

/** Treasury operations, all behind `treasury:admin`: mint, burn, reward distributions, the audit log. */
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
        const [issuance, treasury] = [
          systemAccountId(input.ledger, 'issuance'),
          systemAccountId(input.ledger, 'treasury'),
        ];
        const command: TransferCommand = {
          type: 'create',
          id: input.id ?? randomUUID(),
          kind,
          ledger: input.ledger,
          debitAccountId: kind === 'mint' ? issuance : treasury,
          creditAccountId: kind === 'mint' ? treasury : issuance,
          amount: amountField(input.amount, input.ledger, 'amount'),
          memo: input.memo,
        };
        return perform(c, context, {
          name: kind,
          input,
          ledger: input.ledger,
          work: (tx, caller) => singleTransfer(tx, caller, `treasury.${kind}`, command),
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
      middleware: [...admin(), requireJsonBody()],
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
      const id = input.id ?? randomUUID();
      const pool = systemAccountId(input.ledger, 'reward_pool');
      const commands = input.rewards.map(
        (reward, index): TransferCommand => ({
          type: 'create',
          id: derivedId(id, index),
          kind: 'reward',
          ledger: input.ledger,
          debitAccountId: pool,
          creditAccountId: reward.account_id,
          amount: amountField(reward.amount, input.ledger, `rewards.${index}.amount`),
          memo: input.memo ?? `reward distribution ${id}`,
          linked: index < input.rewards.length - 1,
        }),
      );
      return perform(c, context, {
        name: 'reward',
        input,
        ledger: input.ledger,
        transfers: commands.length,
        work: async (tx, caller) => {
          const { results } = await applyOperation(tx, caller, {
            action: 'reward.distribute',
            ledger: input.ledger,
            commands,
            details: { distribution_id: id, rewards: commands.length },
          });
          const failedAt = results.findIndex(
            (result) => result.status === 'failed' && result.error.code !== 'linked_event_failed',
          );
          const failed = results[failedAt];
          if (failed?.status === 'failed') {
            throw new TransferRefusedError(
              {
                code: failed.error.code,
                field: `rewards.${failedAt}.${failed.error.field === 'amount' ? 'amount' : 'account_id'}`,
                detail: `rewards.${failedAt}: ${failed.error.detail}; no reward was paid`,
              },
              input.ledger,
            );
          }
          const total = commands.reduce(
            (sum, command) => sum + (command.type === 'create' ? command.amount : 0n),
            0n,
          );
          const created = results.some((result) => result.status === 'created');
          return {
            status: created ? 201 : 200,
            body: {
              distribution: {
                id,
                ledger: input.ledger,
                rewards: commands.length,
                total: formatAmount(total, scaleOf(input.ledger)),
                transfer_ids: commands.map((command) => command.id),
              },
            },
            ledger: input.ledger,
            results,
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
