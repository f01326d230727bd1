import { describe, expect, it } from 'vitest';
import { ledgerTotals } from '../repository/ledger-totals.js';
import {
  ADMIN,
  apply,
  openUserAccounts,
  TOKEN,
  transferCommand,
  treasuryOf,
  useLedgerDatabase,
} from '../testing/ledger-database.js';
import type { Caller } from './apply-operation.js';
import { GroupCommit } from './group-commit.js';

describe('group commit', () => {
  const db = useLedgerDatabase('group_commit');

  /** Opens one account per owner, funded with `tokens` each. */
  async function fundedAccounts(owners: readonly string[], tokens: bigint) {
    const ids: string[] = [];
    for (const owner of owners) ids.push(...(await openUserAccounts(db.sql, 1, owner)));
    await apply(
      db.sql,
      ADMIN,
      ids.map((id) => transferCommand(treasuryOf('AIA'), id, tokens * TOKEN)),
    );
    return ids;
  }

  it('commits concurrent operations together, each with its own caller, result and audit entry', async () => {
    const owners = Array.from({ length: 40 }, (_, index) => `payer-${index}`);
    const payers = await fundedAccounts(owners, 10n);
    const [payee] = await openUserAccounts(db.sql, 1, 'payee');
    const group = new GroupCommit(db.sql);
    const outcomes = await Promise.all(
      payers.map((payer, index) =>
        group.submit({
          caller: { subject: owners[index] as string, admin: false, requestId: `r${index}` },
          action: 'transfer.create',
          ledger: 'AIA',
          // Every fourth asks for more than it has: refused alone, the others still commit.
          commands: [transferCommand(payer, payee as string, (index % 4 === 0 ? 11n : 1n) * TOKEN)],
        }),
      ),
    );
    const statuses = outcomes.map((outcome) => outcome.results[0]?.status);
    expect(statuses.filter((status) => status === 'created')).toHaveLength(30);
    expect(statuses.filter((status) => status === 'failed')).toHaveLength(10);
    const audit = await db.sql<{ actor: string; request_id: string; n: number }[]>`
      select a.actor, a.request_id, count(t.id)::int as n
        from audit_log a join transfers t on t.audit_id = a.id
       where t.credit_account_id = ${payee as string} group by a.id`;
    expect(audit).toHaveLength(30);
    for (const entry of audit) {
      expect(entry.n).toBe(1);
      expect(entry.request_id).toBe(`r${entry.actor.slice('payer-'.length)}`);
    }
    const totals = await ledgerTotals(db.sql, 'AIA');
    expect(totals.debitsPosted).toBe(totals.creditsPosted);
  });

  it("one caller's rights are not another's: a transfer out of someone else's account is refused in a shared group", async () => {
    const [mine, theirs] = await fundedAccounts(['mallory', 'victim'], 5n);
    const group = new GroupCommit(db.sql);
    const mallory: Caller = { subject: 'mallory', admin: false };
    const [own, stolen] = await Promise.all([
      group.submit({
        caller: ADMIN,
        action: 'transfer.create',
        commands: [transferCommand(treasuryOf('AIA'), mine as string, TOKEN)],
      }),
      group.submit({
        caller: mallory,
        action: 'transfer.create',
        commands: [transferCommand(theirs as string, mine as string, TOKEN)],
      }),
    ]);
    expect(own.results[0]?.status).toBe('created');
    expect(stolen.results[0]).toMatchObject({
      status: 'failed',
      error: { code: 'not_account_owner' },
    });
  });

  it('an error of the shared transaction fails only the operation that causes it', async () => {
    const [payer, payee] = await fundedAccounts(['solo-a', 'solo-b'], 5n);
    const group = new GroupCommit(db.sql, { maxInFlight: 1 });
    const caller: Caller = { subject: 'solo-a', admin: false };
    // Occupy the only slot so the next three are grouped; the memo breaks a database CHECK.
    const first = group.submit({
      caller,
      action: 'transfer.create',
      commands: [transferCommand(payer as string, payee as string, TOKEN)],
    });
    const grouped = [TOKEN, TOKEN, TOKEN].map((amount, index) =>
      group.submit({
        caller,
        action: 'transfer.create',
        commands: [
          transferCommand(
            payer as string,
            payee as string,
            amount,
            index === 1 ? { memo: 'x'.repeat(300) } : {},
          ),
        ],
      }),
    );
    const settled = await Promise.allSettled([first, ...grouped]);
    expect(settled.map((result) => result.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    const [row] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from transfers where debit_account_id = ${payer as string}`;
    expect(row?.n).toBe(3);
  });

  it('an operation that waited longer than maxWaitMs for its group is refused and never written', async () => {
    const [payer, payee] = await fundedAccounts(['slow-a', 'slow-b'], 5n);
    const group = new GroupCommit(db.sql, { maxInFlight: 1, maxWaitMs: 50 });
    const caller: Caller = { subject: 'slow-a', admin: false };
    // Another transaction holds the payer's row: the first group waits on it, the second queues.
    const blocker = await db.sql.reserve();
    await blocker`begin`;
    await blocker`select 1 from accounts where id = ${payer as string} for update`;
    const first = group.submit({
      caller,
      action: 'transfer.create',
      commands: [transferCommand(payer as string, payee as string, TOKEN)],
    });
    const late = transferCommand(payer as string, payee as string, TOKEN);
    const second = group.submit({ caller, action: 'transfer.create', commands: [late] });
    await new Promise((resolve) => setTimeout(resolve, 150));
    await blocker`commit`;
    blocker.release();
    await expect(first).resolves.toMatchObject({ results: [{ status: 'created' }] });
    await expect(second).rejects.toMatchObject({ status: 503 });
    const [row] = await db.sql<
      { n: number }[]
    >`select count(*)::int as n from transfers where id = ${late.id}`;
    expect(row?.n).toBe(0);
  });
});
