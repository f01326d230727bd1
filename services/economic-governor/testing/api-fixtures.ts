import { expect } from 'vitest';
import type { Database } from '../../platform/db.js';
import { LEDGER_CODES, type LedgerCode } from '../domain/ledgers.js';
import { ledgerTotals } from '../repository/ledger-totals.js';
import { ADMIN_SCOPES, type ledgerApp } from './ledger-app.js';
import { openUserAccounts, treasuryOf } from './ledger-database.js';

/** The `call` of `ledgerApp`. */
export type Call = ReturnType<typeof ledgerApp>['call'];
export type Reply = Awaited<ReturnType<Call>>;

/** The subject the fixtures use for treasury administration. */
export const TREASURER = 'treasurer';

/** Sends a request as the treasurer, with `treasury:admin`. */
export const asAdmin = (
  call: Call,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
) => call(method, path, { as: TREASURER, scope: ADMIN_SCOPES, ...options });

/** A transfer body for POST /v1/transfers. */
export const transferBody = (
  debit: string,
  credit: string,
  amount: string,
  extra: Record<string, unknown> = {},
) => ({
  ledger: 'AIA',
  debit_account_id: debit,
  credit_account_id: credit,
  amount,
  ...extra,
});

/** Moves `amount` from the ledger's treasury to `account` (as the treasurer); fails the test otherwise. */
export async function fund(
  call: Call,
  account: string,
  amount: string,
  ledger: LedgerCode = 'AIA',
): Promise<void> {
  const reply = await asAdmin(call, 'POST', '/transfers', {
    body: transferBody(treasuryOf(ledger), account, amount, { ledger }),
  });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
}

/** Opens `count` user accounts owned by `owner` and funds each with `amount` from the treasury. */
export async function openFunded(
  sql: Database,
  call: Call,
  { count = 1, amount = '100', owner = 'alice', ledger = 'AIA' as LedgerCode } = {},
): Promise<string[]> {
  const ids = await openUserAccounts(sql, count, owner, ledger);
  for (const id of ids) await fund(call, id, amount, ledger);
  return ids;
}

/** The account as GET /v1/accounts/{id} shows it. */
export async function accountOf(call: Call, id: string) {
  const reply = await call('GET', `/accounts/${id}`);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body.account as {
    balance: string;
    available: string;
    debits_pending: string;
    debits_posted: string;
    credits_pending: string;
    credits_posted: string;
    owner: string;
  };
}

/** Number of transfers with this account on either side. */
export async function transferCount(sql: Database, account: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from transfers
     where debit_account_id = ${account} or credit_account_id = ${account}`;
  return row?.n ?? 0;
}

type RowCounts = Record<
  | 'transfers'
  | 'outbox'
  | 'audit_log'
  | 'stakes'
  | 'stake_releases'
  | 'pending_timeouts'
  | 'idempotency_keys'
  | 'accounts',
  number
>;

/**
 * Everything a refused request must leave as it was: both ledgers' totals, the row counts of
 * every table a write touches, and every account's balances.
 */
export async function snapshot(sql: Database) {
  const totals = await Promise.all(LEDGER_CODES.map((ledger) => ledgerTotals(sql, ledger)));
  const [counts] = await sql<RowCounts[]>`
    select (select count(*) from transfers)::int as transfers,
           (select count(*) from outbox)::int as outbox,
           (select count(*) from audit_log)::int as audit_log,
           (select count(*) from stakes)::int as stakes,
           (select count(*) from stake_releases)::int as stake_releases,
           (select count(*) from pending_timeouts)::int as pending_timeouts,
           (select count(*) from idempotency_keys)::int as idempotency_keys,
           (select count(*) from accounts)::int as accounts`;
  const accounts = await sql`
    select id, debits_pending::text, debits_posted::text, credits_pending::text,
           credits_posted::text
      from accounts order by id`;
  if (!counts) throw new Error('no row counts');
  return { totals, counts, accounts: [...accounts] };
}

/**
 * Asserts an RFC 9457 problem: the status, the `urn:aia:problem:<code>` type and, when given,
 * an `errors[]` entry for `field` whose reason matches `reason`.
 */
export function expectProblem(
  reply: Reply,
  status: number,
  code: string,
  field?: string,
  reason?: RegExp | string,
): void {
  const shown = JSON.stringify(reply.body);
  expect(reply.status, shown).toBe(status);
  expect(reply.headers.get('content-type'), shown).toMatch(/^application\/problem\+json/);
  expect(reply.body, shown).toMatchObject({ type: `urn:aia:problem:${code}`, status });
  expect(typeof reply.body.detail, shown).toBe('string');
  if (field === undefined) return;
  const errors = (reply.body.errors ?? []) as { field: string; reason: string }[];
  const entry = errors.find((error) => error.field === field);
  expect(entry, `no errors[] entry for '${field}' in ${shown}`).toBeDefined();
  if (reason !== undefined) expect(entry?.reason, shown).toMatch(reason);
}

/** Sends `request`, asserts the problem, and asserts the snapshot did not change. */
export async function expectRefusedUnchanged(
  sql: Database,
  request: () => Promise<Reply>,
  problem: { status: number; code: string; field?: string; reason?: RegExp | string },
): Promise<Reply> {
  const before = await snapshot(sql);
  const reply = await request();
  expectProblem(reply, problem.status, problem.code, problem.field, problem.reason);
  expect(await snapshot(sql)).toEqual(before);
  return reply;
}

/** An amount string of the API (18 decimals, maybe zero or negative) in minor units. */
export function minorUnits(text: string): bigint {
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? text.slice(1) : text).split('.');
  const minor = BigInt(whole) * 10n ** 18n + BigInt(fraction.padEnd(18, '0'));
  return negative ? -minor : minor;
}
