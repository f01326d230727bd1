import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { requireScopes } from '../../platform/auth.js';
import type { Database } from '../../platform/db.js';
import { NotFoundError } from '../../platform/errors.js';
import { addRoute, BEARER_SECURITY } from '../../platform/openapi.js';
import type { AppEnv } from '../../platform/types.js';
import { requireJsonBody, requireJsonBodyIfAny } from '../../platform/validation.js';
import type { LedgerCode } from '../domain/ledgers.js';
import type { TransferCommand } from '../domain/types.js';
import type { GroupCommit } from '../group-commit.js';
import { applyOperation, type Caller, type OperationOutcome } from '../ledger.js';
import { findTransfer } from '../repository/account-store.js';
import { amountField, batchCommands, createCommand } from './commands.js';
import { perform, type Reply, type WriteContext } from './perform.js';
import { jsonBodyOf, jsonResponse, PROBLEM_RESPONSES } from './responses.js';
import {
  BatchResultSchema,
  BatchSchema,
  IdempotencyHeadersSchema,
  IdParamsSchema,
  NewTransferSchema,
  ResolvePendingSchema,
  TransferSchema,
} from './schemas.js';
import { TransferRefusedError } from './transfer-refused.js';
import { batchView, transferView } from './views.js';

const TransferReply = z.object({ transfer: TransferSchema });
const write = () => [requireScopes('ledger:write'), requireJsonBody()];

/** Applies one command and answers 201 (created), 200 (same id and fields again) or the refusal. */
export async function singleTransfer(
  tx: Database,
  caller: Caller,
  action: string,
  command: TransferCommand,
): Promise<Reply> {
  const ledger = command.type === 'create' ? command.ledger : undefined;
  return replyOf(await applyOperation(tx, caller, { action, ledger, commands: [command] }), ledger);
}

/** The same through group commit: the transfer shares a transaction with concurrent ones. */
export async function groupedTransfer(
  groupCommit: GroupCommit,
  caller: Caller,
  action: string,
  command: TransferCommand,
): Promise<Reply> {
  const ledger = command.type === 'create' ? command.ledger : undefined;
  return replyOf(await groupCommit.submit({ caller, action, ledger, commands: [command] }), ledger);
}

function replyOf({ results }: OperationOutcome, ledger: LedgerCode | undefined): Reply {
  const [result] = results;
  if (!result || result.status === 'failed') {
    throw new TransferRefusedError(
      result?.status === 'failed' ? result.error : { code: 'failed', detail: 'no result' },
      ledger,
    );
  }
  return {
    status: result.status === 'created' ? 201 : 200,
    body: { transfer: transferView(result.transfer) },
    ledger: result.transfer.ledger,
    results,
  };
}

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
        grouped: (caller) =>
          groupedTransfer(
            context.groupCommit,
            caller,
            `transfer.${command.kind === 'pending' ? 'reserve' : 'create'}`,
            command,
          ),
        work: (tx, caller) =>
          singleTransfer(
            tx,
            caller,
            `transfer.${command.kind === 'pending' ? 'reserve' : 'create'}`,
            command,
          ),
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
          grouped: (caller) =>
            groupedTransfer(context.groupCommit, caller, `transfer.${type}`, command),
          work: (tx, caller) => singleTransfer(tx, caller, `transfer.${type}`, command),
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
          const { results } = await applyOperation(tx, caller, {
            action: 'transfer.batch',
            ledger,
            commands,
            details: { atomic: input.atomic, size: commands.length },
          });
          const body = batchView(
            commands.map((command) => command.id),
            results,
          );
          if (input.atomic && body.failed > 0) {
            const first = results.findIndex(
              (result) => result.status === 'failed' && result.error.code !== 'linked_event_failed',
            );
            const failed = results[first];
            throw new TransferRefusedError(
              failed?.status === 'failed'
                ? {
                    code: failed.error.code,
                    field: `transfers.${first}.${failed.error.field ?? 'id'}`,
                    detail: `transfers.${first}: ${failed.error.detail}; nothing in the batch was applied`,
                  }
                : {
                    code: 'linked_event_failed',
                    detail: 'the atomic batch failed; nothing was applied',
                  },
              ledger,
            );
          }
          return { status: 200, body, ledger, results };
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
