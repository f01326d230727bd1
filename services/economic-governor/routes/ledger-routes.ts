import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { requireScopes } from '../../platform/auth.js';
import type { Database } from '../../platform/db.js';
import { addRoute, BEARER_SECURITY } from '../../platform/openapi.js';
import { jsonResponse } from '../../platform/openapi-responses.js';
import type { AppEnv } from '../../platform/types.js';
import { formatAmount } from '../domain/amounts.js';
import { LEDGER_CODES, type LedgerCode, scaleOf, systemAccountsOf } from '../domain/ledgers.js';
import { ledgerTotals } from '../repository/ledger-totals.js';
import { PROBLEM_RESPONSES } from './responses.js';
import { AmountSchema, LedgerCodeSchema, LedgerParamsSchema } from './schemas.js';

const LedgerSchema = z
  .object({
    code: LedgerCodeSchema,
    scale: z.int(),
    supply: AmountSchema.openapi({ description: 'Minted minus burnt' }),
    system_accounts: z.record(z.string(), z.string()),
    accounts: z.int(),
    debits_posted: AmountSchema,
    credits_posted: AmountSchema,
    debits_pending: AmountSchema,
    credits_pending: AmountSchema,
    balanced: z.boolean().openapi({
      description: 'Debits equal credits, posted and pending: the double-entry invariant',
    }),
  })
  .openapi('Ledger');

async function ledgerView(sql: Database, ledger: LedgerCode) {
  const totals = await ledgerTotals(sql, ledger);
  const format = (value: bigint) => formatAmount(value, scaleOf(ledger));
  return {
    code: ledger,
    scale: scaleOf(ledger),
    supply: format(totals.supply),
    system_accounts: systemAccountsOf(ledger),
    accounts: totals.accounts,
    debits_posted: format(totals.debitsPosted),
    credits_posted: format(totals.creditsPosted),
    debits_pending: format(totals.debitsPending),
    credits_pending: format(totals.creditsPending),
    balanced:
      totals.debitsPosted === totals.creditsPosted &&
      totals.debitsPending === totals.creditsPending,
  };
}

/** The ledgers: scale, supply, system account ids, and whether the books balance. */
export function addLedgerRoutes(app: OpenAPIHono<AppEnv>, sql: Database): void {
  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/ledgers',
      tags: ['ledgers'],
      summary: 'Both ledgers with their supply, system accounts and totals',
      security: BEARER_SECURITY,
      middleware: [requireScopes('ledger:read')],
      responses: {
        200: jsonResponse(z.object({ ledgers: z.array(LedgerSchema) }), 'The ledgers'),
        ...PROBLEM_RESPONSES,
      },
    }),
    async (c) =>
      c.json({ ledgers: await Promise.all(LEDGER_CODES.map((ledger) => ledgerView(sql, ledger))) }),
  );
  addRoute(
    app,
    createRoute({
      method: 'get',
      path: '/ledgers/{ledger}',
      tags: ['ledgers'],
      summary: 'One ledger',
      security: BEARER_SECURITY,
      middleware: [requireScopes('ledger:read')],
      request: { params: LedgerParamsSchema },
      responses: {
        200: jsonResponse(z.object({ ledger: LedgerSchema }), 'The ledger'),
        ...PROBLEM_RESPONSES,
      },
    }),
    async (c) => c.json({ ledger: await ledgerView(sql, c.req.valid('param').ledger) }),
  );
}
