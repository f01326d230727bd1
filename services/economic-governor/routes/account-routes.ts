import { randomUUID } from 'node:crypto';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { requireScopes } from '../../platform/auth.js';
import type { Database } from '../../platform/db.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../platform/errors.js';
import { addRoute, BEARER_SECURITY } from '../../platform/openapi.js';
import {
  IdempotencyHeadersSchema,
  jsonBodyOf,
  jsonResponse,
} from '../../platform/openapi-responses.js';
import type { ReadPool } from '../../platform/read-replica.js';
import type { AppEnv } from '../../platform/types.js';
import { requireJsonBody } from '../../platform/validation.js';
import {
  findAccount,
  insertAccounts,
  listAccountTransfers,
  type NewAccount,
} from '../repository/account-store.js';
import { insertAudit } from '../repository/audit-store.js';
import { listStakes } from '../repository/stake-store.js';
import { perform, type WriteContext } from './perform.js';
import { PROBLEM_RESPONSES } from './responses.js';
import {
  AccountSchema,
  IdParamsSchema,
  OpenAccountSchema,
  PageQuerySchema,
  StakeViewSchema,
  TransferSchema,
} from './schemas.js';
import { accountView, stakeView, transferView } from './views.js';

const AccountReply = z.object({ account: AccountSchema });
const read = () => [requireScopes('ledger:read')];

/** Accounts: open, balance, history (newest first, cursor pagination) and stakes. */
export function addAccountRoutes(
  app: OpenAPIHono<AppEnv>,
  context: WriteContext & { readonly reads: ReadPool },
): void {
  addRoute(
    app,
    createRoute({
      method: 'post',
      path: '/accounts',
      tags: ['accounts'],
      summary: 'Open an account (overdraft forbidden unless a treasury admin says otherwise)',
      security: BEARER_SECURITY,
      middleware: [requireScopes('ledger:write'), requireJsonBody()],
      request: { headers: IdempotencyHeadersSchema, body: jsonBodyOf(OpenAccountSchema) },
      responses: {
        201: jsonResponse(AccountReply, 'Opened'),
        200: jsonResponse(
          AccountReply,
          'An account with this id and the same fields already exists',
        ),
        ...PROBLEM_RESPONSES,
      },
    }),
    async (c) => {
      const input = c.req.valid('json');
      return perform(c, context, {
        name: 'open_account',
        input,
        ledger: input.ledger,
        work: async (tx, caller) => {
          const account: NewAccount = {
            id: input.id ?? randomUUID(),
            ledger: input.ledger,
            kind: input.kind,
            owner: input.owner ?? caller.subject,
            debitsMustNotExceedCredits: input.flags.debits_must_not_exceed_credits,
            creditsMustNotExceedDebits: input.flags.credits_must_not_exceed_debits,
            ...(input.memo !== undefined ? { memo: input.memo } : {}),
          };
          if (!caller.admin) refusePrivileged(account, caller.subject);
          const { rows, inserted } = await insertAccounts(tx, [account]);
          const row = rows[0];
          if (!row) throw new Error(`account ${account.id} was neither inserted nor found`);
          if (!inserted.has(account.id)) {
            const same =
              row.ledger === account.ledger &&
              row.kind === account.kind &&
              row.owner === account.owner &&
              row.debits_must_not_exceed_credits === account.debitsMustNotExceedCredits &&
              row.credits_must_not_exceed_debits === account.creditsMustNotExceedDebits;
            if (!same)
              throw new ConflictError(
                `account ${account.id} already exists with different fields`,
                { errors: [{ field: 'id', reason: 'already used by another account' }] },
              );
            return { status: 200, body: { account: accountView(row) } };
          }
          await insertAudit(tx, {
            actor: caller.subject,
            action: 'account.open',
            requestId: caller.requestId,
            ledger: account.ledger,
            details: { account_id: account.id, owner: account.owner, kind: account.kind },
          });
          return { status: 201, body: { account: accountView(row) } };
        },
      });
    },
  );

  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/accounts/{id}',
      tags: ['accounts'],
      summary: 'Balances of an account',
      security: BEARER_SECURITY,
      middleware: read(),
      request: { params: IdParamsSchema },
      responses: { 200: jsonResponse(AccountReply, 'The account'), ...PROBLEM_RESPONSES },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const row = await findAccount(context.sql, id);
      if (!row) throw new NotFoundError(`account ${id} does not exist`);
      return c.json({ account: accountView(row) });
    },
  );

  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/accounts/{id}/transfers',
      tags: ['accounts'],
      summary: 'Transfers of an account, newest first; pass next_cursor to get the next page',
      security: BEARER_SECURITY,
      middleware: read(),
      request: { params: IdParamsSchema, query: PageQuerySchema },
      responses: {
        200: jsonResponse(
          z.object({ transfers: z.array(TransferSchema), next_cursor: z.string().nullable() }),
          'One page',
        ),
        ...PROBLEM_RESPONSES,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { limit, cursor } = c.req.valid('query');
      // History tolerates the read replica's bounded lag (docs/connections.md); an account the
      // replica does not know yet may be new, so only the primary may say it does not exist.
      const history = (sql: Database) =>
        findAccount(sql, id).then((account) =>
          account ? listAccountTransfers(sql, id, cursor, limit) : undefined,
        );
      const transfers = (await context.reads.read(history)) ?? (await history(context.sql));
      if (!transfers) throw new NotFoundError(`account ${id} does not exist`);
      const last = transfers.at(-1);
      return c.json({
        transfers: transfers.map((t) => transferView(t)),
        next_cursor: transfers.length === limit && last?.seq ? last.seq : null,
      });
    },
  );

  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/accounts/{id}/stakes',
      tags: ['staking'],
      summary: 'Stakes of an account, newest first',
      security: BEARER_SECURITY,
      middleware: read(),
      request: { params: IdParamsSchema },
      responses: {
        200: jsonResponse(z.object({ stakes: z.array(StakeViewSchema) }), 'The stakes'),
        ...PROBLEM_RESPONSES,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      if (!(await findAccount(context.sql, id)))
        throw new NotFoundError(`account ${id} does not exist`);
      return c.json({ stakes: (await listStakes(context.sql, id)).map(stakeView) });
    },
  );
}

/** Without `treasury:admin`, a caller opens only its own, overdraft-protected user accounts. */
function refusePrivileged(account: NewAccount, subject: string): void {
  const refusals = [
    account.owner !== subject && {
      field: 'owner',
      reason: `only a treasury admin opens accounts for another owner than '${subject}'`,
    },
    account.kind !== 'user' && {
      field: 'kind',
      reason: 'only a treasury admin opens operating accounts',
    },
    !account.debitsMustNotExceedCredits && {
      field: 'flags.debits_must_not_exceed_credits',
      reason: 'only a treasury admin opens an account that may be overdrawn',
    },
    account.creditsMustNotExceedDebits && {
      field: 'flags.credits_must_not_exceed_debits',
      reason: 'only a treasury admin sets this limit',
    },
  ].filter((refusal) => refusal !== false);
  if (refusals.length > 0)
    throw new ForbiddenError(refusals.map((r) => `${r.field}: ${r.reason}`).join('; '), {
      errors: refusals,
    });
}
