import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { inTransaction } from '../platform/transactions.js';
import { parseAmount } from './domain/amounts.js';
import { systemAccountId } from './domain/ledgers.js';
import { applyOperation, type Caller } from './operations/apply-operation.js';
import { findAccount } from './repository/account-store.js';
import { ledgerTotals } from './repository/ledger-totals.js';
import {
  openUserAccounts,
  transferCommand,
  treasuryOf,
  useLedgerDatabase,
} from './testing/ledger-database.js';

const admin: Caller = { subject: 'treasurer', admin: true };
const aia = (tokens: string) => parseAmount(tokens, 18);
const move = (debit: string, credit: string, tokens: string) =>
  transferCommand(debit, credit, aia(tokens));

describe('ledger operations on PostgreSQL', () => {
  const db = useLedgerDatabase('ledger_ops');

  it('mints the genesis supply into the treasury once', async () => {
    const totals = await ledgerTotals(db.sql, 'AIA');
    expect(totals.supply).toBe(aia('1000000000'));
    expect(totals.debitsPosted).toBe(totals.creditsPosted);
    const treasury = await findAccount(db.sql, treasuryOf('AIA'));
    expect(treasury?.credits_posted).toBe(aia('1000000000').toString());
    expect((await ledgerTotals(db.sql, 'AIA_GOV')).supply).toBe(parseAmount('100000000', 18));
  });

  it('moves tokens and writes an outbox event and an audit entry per operation', async () => {
    const [alice, bob] = await openUserAccounts(db.sql, 2);
    const outcome = await inTransaction(db.sql, (tx) =>
      applyOperation(tx, admin, {
        action: 'transfer.create',
        ledger: 'AIA',
        commands: [
          move(treasuryOf('AIA'), alice as string, '10'),
          move(alice as string, bob as string, '2.5'),
        ],
      }),
    );
    expect(outcome.results.map((r) => r.status)).toEqual(['created', 'created']);
    const bobRow = await findAccount(db.sql, bob as string);
    expect(bobRow?.credits_posted).toBe(aia('2.5').toString());
    const [events] =
      await db.sql`select count(*)::int as n from outbox where key = any(${outcome.results.map((r) => (r.status === 'created' ? r.transfer.id : ''))}::text[])`;
    expect(events?.n).toBe(2);
    const [audit] =
      await db.sql`select actor, action, details from audit_log where id = ${outcome.auditId as string}`;
    expect(audit).toMatchObject({
      actor: 'treasurer',
      action: 'transfer.create',
      details: { transfers: 2 },
    });
  });

  it('refuses an overdraft and changes nothing', async () => {
    const [alice, bob] = await openUserAccounts(db.sql, 2);
    const before = await ledgerTotals(db.sql, 'AIA');
    const outcome = await inTransaction(db.sql, (tx) =>
      applyOperation(
        tx,
        { subject: 'alice', admin: false },
        { action: 'transfer.create', commands: [move(alice as string, bob as string, '1')] },
      ),
    );
    expect(outcome.results[0]).toMatchObject({
      status: 'failed',
      error: { code: 'exceeds_credits', field: 'amount' },
    });
    expect(outcome.auditId).toBeUndefined();
    expect(await ledgerTotals(db.sql, 'AIA')).toEqual(before);
  });

  it('the database refuses to change or delete a transfer', async () => {
    await expect(db.sql`update transfers set amount = 1`).rejects.toThrow(/append-only/);
    await expect(db.sql`delete from transfers`).rejects.toThrow(/append-only/);
    await expect(db.sql`update accounts set owner = 'mallory'`).rejects.toThrow(/never change/);
  });

  /** Inserts a transfer straight into the table, past the engine: only the database judges it. */
  const insertDirectly = (debit: string, credit: string) =>
    db.sql.begin(async (tx) => {
      const [audit] =
        await tx`insert into audit_log (actor, action) values ('x', 'x') returning id`;
      await tx`insert into transfers (id, ledger, kind, debit_account_id, credit_account_id, amount, audit_id)
               values (${randomUUID()}, 'AIA', 'transfer', ${debit}, ${credit}, 1, ${audit?.id})`;
    });

  it('the database refuses a transfer naming an account that does not exist', async () => {
    const [alice] = await openUserAccounts(db.sql, 1);
    await expect(insertDirectly(alice as string, randomUUID())).rejects.toThrow(
      /credit account does not exist/,
    );
  });

  it('the database refuses a transfer out of the issuance account that is not a mint', async () => {
    const [alice] = await openUserAccounts(db.sql, 1);
    await expect(
      insertDirectly(systemAccountId('AIA', 'issuance'), alice as string),
    ).rejects.toThrow(/not allowed/);
  });
});
