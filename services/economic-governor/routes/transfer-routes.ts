import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { requireScopes } from '../../platform/auth.js';
import { NotFoundError } from '../../platform/errors.js';
import { addRoute, BEARER_SECURITY } from '../../platform/openapi.js';
import {
  IdempotencyHeadersSchema,
  jsonBodyOf,
  jsonResponse,
} from '../../platform/openapi-responses.js';
import type { AppEnv } from '../../platform/types.js';
import { requireJsonBody, requireJsonBodyIfAny } from '../../platform/validation.js';
import type { TransferCommand } from '../domain/types.js';
import {
  applyBatch,
  applyGroupedTransfer,
  applyTransfer,
  type TransferOutcome,
} from '../operations/transfers.js';
import { findTransfer } from '../repository/account-store.js';
import { amountField, batchCommands, createCommand } from './commands.js';
import { perform, type Reply, type WriteContext } from './perform.js';
import { PROBLEM_RESPONSES } from './responses.js';
import {
  BatchResultSchema,
  BatchSchema,
  IdParamsSchema,
  NewTransferSchema,
  ResolvePendingSchema,
  TransferSchema,
} from './schemas.js';
import { batchView, transferView } from './views.js';

const TransferReply = z.object({ transfer: TransferSchema });
const write = () => [requireScopes('ledger:write'), requireJsonBody()];

/** A transfer the ledger took: 201 when new, 200 when the same id and fields came again. */
export const transferReply = ({ transfer, created, results }: TransferOutcome): Reply => ({
  status: created ? 201 : 200,
  body: { transfer: transferView(transfer) },
  ledger: transfer.ledger,
  results,
});

/** Transfers: single, two-phase (pending, post, void) and batches. */
export function addTransferRoutes(app: OpenAPIHono<AppEnv>, context: WriteContext): void {
  addRoute(
    app,
    createRoute({
      method: 'post',
      path: '/transfers',
      tags: ['transfers'],
      summary: 'Move tokens from one account to another, or reserve them (pending)',
      security: BEARER_SECURITY,
      middleware: write(),
      request: { headers: IdempotencyHeadersSchema, body: jsonBodyOf(NewTransferSchema) },
      responses: {
        201: jsonResponse(TransferReply, 'Committed'),
        200: jsonResponse(
          TransferReply,
          'A transfer with this id and the same fields already exists',
        ),
        ...PROBLEM_RESPONSES,
      },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const command = createCommand(input);
      return perform(c, context, {
        name: command.kind,
        input,
        ledger: input.ledger,
        grouped: async (caller) =>
          transferReply(await applyGroupedTransfer(context.groupCommit, caller, command)),
        work: async (tx, caller) => transferReply(await applyTransfer(tx, caller, command)),
      });
    },
  );

  for (const type of ['post', 'void'] as const) {
    addRoute(
      app,
      createRoute({
        method: 'post',
        path: `/transfers/{id}/${type}`,
        tags: ['transfers'],
        summary:
          type === 'post'
            ? 'Post a pending transfer, all of it or part'
            : 'Void a pending transfer, releasing the reservation',
        security: BEARER_SECURITY,
        middleware: [requireScopes('ledger:write'), requireJsonBodyIfAny()],
        request: {
          params: IdParamsSchema,
          headers: IdempotencyHeadersSchema,
          body: {
            ...jsonBodyOf(
              type === 'post' ? ResolvePendingSchema : ResolvePendingSchema.omit({ amount: true }),
            ),
            required: false,
          },
        },
        responses: {
          201: jsonResponse(TransferReply, `The ${type} transfer`),
          200: jsonResponse(TransferReply, 'Already done with this id'),
          ...PROBLEM_RESPONSES,
        },
      }),
      async (c) => {
        const { id: pendingId } = c.req.valid('param');
        const input = (c.req.valid('json') ?? {}) as z.output<typeof ResolvePendingSchema>;
        const command: TransferCommand = {
          type,
          id: input.id ?? crypto.randomUUID(),
          pendingId,
          ...(input.amount !== undefined
            ? { amount: amountField(input.amount, 'AIA', 'amount') }
            : {}),
          ...(input.memo !== undefined ? { memo: input.memo } : {}),
        };
        return perform(c, context, {
          name: type,
          input: { pendingId, ...input },
          grouped: async (caller) =>
            transferReply(await applyGroupedTransfer(context.groupCommit, caller, command)),
          work: async (tx, caller) => transferReply(await applyTransfer(tx, caller, command)),
        });
      },
    );
  }

  addRoute(
    app,
    createRoute({
      method: 'post',
      path: '/transfers/batch',
      tags: ['transfers'],
      summary: `Apply up to 8,000 transfers in one transaction`,
      description:
        'Each entry succeeds or fails on its own unless linked to the next (or the batch is atomic); results come in request order.',
      security: BEARER_SECURITY,
      middleware: write(),
      request: { headers: IdempotencyHeadersSchema, body: jsonBodyOf(BatchSchema) },
      responses: {
        200: jsonResponse(BatchResultSchema, 'Per-entry results'),
        ...PROBLEM_RESPONSES,
      },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const commands = batchCommands(input.transfers, input.atomic);
      const ledger = input.transfers.find((item) => item.ledger)?.ledger ?? 'AIA';
      return perform(c, context, {
        name: 'batch',
        input,
        ledger,
        transfers: commands.length,
        work: async (tx, caller) => {
          const results = await applyBatch(tx, caller, { commands, atomic: input.atomic, ledger });
          const ids = commands.map((command) => command.id);
          return { status: 200, body: batchView(ids, results), ledger, results };
        },
      });
    },
  );

  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/transfers/{id}',
      tags: ['transfers'],
      summary: 'A transfer; a pending one also says whether it was posted, voided or expired',
      security: BEARER_SECURITY,
      middleware: [requireScopes('ledger:read')],
      request: { params: IdParamsSchema },
      responses: { 200: jsonResponse(TransferReply, 'The transfer'), ...PROBLEM_RESPONSES },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const found = await findTransfer(context.sql, id);
      if (!found) throw new NotFoundError(`transfer ${id} does not exist`);
      return c.json({
        transfer: transferView(
          found.transfer,
          (found.resolution?.kind as 'post' | 'void' | 'expire' | undefined) ?? null,
        ),
      });
    },
  );
}
