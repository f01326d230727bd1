import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Database } from '../platform/db.js';
import type { ResolveCommand, TransferCommand, TransferResult } from './domain/types.js';
import { applyOperation } from './operations/apply-operation.js';
import { findAccount } from './repository/account-store.js';
import { ledgerTotals } from './repository/ledger-totals.js';
import {
  ADMIN,
  ALICE,
  apply,
  openUserAccounts,
  TOKEN,
  transferCommand,
  treasuryOf,
  useLedgerDatabase,
} from './testing/ledger-database.js';

const transfer = (debit: string, credit: string, amount: bigint) =>
  transferCommand(debit, credit, amount);

/** One operation in its own transaction (retried after races, as the routes do). */

async function fund(sql: Database, accounts: readonly string[], amount: bigint): Promise<void> {
  const results = await apply(
    sql,
    ADMIN,
    accounts.map((account) => transfer(treasuryOf('AIA'), account, amount)),
  );
  expect(results.every((r) => r.status === 'created')).toBe(true);
}

async function balances(sql: Database, id: string) {
  const row = await findAccount(sql, id);
  if (!row) throw new Error(`no account ${id}`);
  return {
    debitsPending: BigInt(row.debits_pending),
    debitsPosted: BigInt(row.debits_posted),
    creditsPending: BigInt(row.credits_pending),
    creditsPosted: BigInt(row.credits_posted),
  };
}

/**
 * Runs `race` while another transaction holds the lock of `accountId`, and lets go after
 * `holdMs`: every operation of the race has read what it reads before the lock and queues on
 * it, so they really overlap (however fast the first would have been alone).
 */
async function whileLocked<T>(
  sql: Database,
  accountId: string,
  race: () => Promise<T>,
  holdMs = 300,
): Promise<T> {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked = () => {};
  const isLocked = new Promise<void>((resolve) => {
    locked = resolve;
  });
  const holder = sql.begin(async (tx) => {
    await tx`select id from accounts where id = ${accountId} for update`;
    locked();
    await released;
  });
  await isLocked;
  const racing = race();
  await new Promise((resolve) => setTimeout(resolve, holdMs));
  release();
  await holder;
  return racing;
}

const codes = (results: readonly TransferResult[]) =>
  results.map((r) => (r.status === 'failed' ? r.error.code : r.status));

const countBy = (values: readonly string[]) =>
  values.reduce<Record<string, number>>((counts, value) => {
    counts[value] = (counts[value] ?? 0) + 1;
    return counts;
  }, {});

async function expectBalanced(sql: Database) {
  const totals = await ledgerTotals(sql, 'AIA');
  expect(totals.debitsPosted).toBe(totals.creditsPosted);
  expect(totals.debitsPending).toBe(totals.creditsPending);
}

describe('ledger under real concurrency (PostgreSQL, 20 connections)', () => {
  const db = useLedgerDatabase('ledger_concurrency');

  it('hot debit account: 200 concurrent 1-token transfers out of 100 tokens commit exactly 100', async () => {
    const [hot, sink] = (await openUserAccounts(db.sql, 2)) as [string, string];
    await fund(db.sql, [hot], 100n * TOKEN);

    // Watch the balance while the transfers race: it never goes below zero.
    let racing = true;
    const seen: bigint[] = [];
    const watcher = (async () => {
      while (racing) {
        const b = await balances(db.sql, hot);
        seen.push(b.creditsPosted - b.debitsPosted - b.debitsPending);
      }
    })();
    const results = await Promise.all(
      Array.from({ length: 200 }, () => apply(db.sql, ALICE, [transfer(hot, sink, TOKEN)])),
    );
    racing = false;
    await watcher;

    const outcome = countBy(results.flatMap(codes));
    expect(outcome).toEqual({ created: 100, exceeds_credits: 100 });
    expect(await balances(db.sql, hot)).toEqual({
      debitsPending: 0n,
      debitsPosted: 100n * TOKEN,
      creditsPending: 0n,
      creditsPosted: 100n * TOKEN,
    });
    expect((await balances(db.sql, sink)).creditsPosted).toBe(100n * TOKEN);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((available) => available >= 0n)).toBe(true);
    const [{ n } = { n: -1 }] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from transfers where debit_account_id = ${hot}`;
    expect(n).toBe(100);
    await expectBalanced(db.sql);
  }, 60_000);

  it('hot credit account: 300 concurrent transfers from 30 accounts all commit; the sum is exact', async () => {
    const senders = await openUserAccounts(db.sql, 30);
    const [hot] = (await openUserAccounts(db.sql, 1, 'bob')) as [string];
    await fund(db.sql, senders, 1_000n * TOKEN);

    // Distinct, odd amounts (in minor units), so a lost or doubled update shows in the sum.
    const amountOf = (s: number, k: number) => BigInt(k + 1) * TOKEN + BigInt(s * 10 + k + 1);
    const commands = senders.flatMap((sender, s) =>
      Array.from({ length: 10 }, (_, k) => transfer(sender, hot, amountOf(s, k))),
    );
    const expected = commands.reduce(
      (total, command) => total + (command.type === 'create' ? command.amount : 0n),
      0n,
    );
    const results = await Promise.all(
      commands.map((command) => apply(db.sql, ALICE, [command]).then(codes)),
    );
    expect(countBy(results.flat())).toEqual({ created: 300 });
    expect(await balances(db.sql, hot)).toEqual({
      debitsPending: 0n,
      debitsPosted: 0n,
      creditsPending: 0n,
      creditsPosted: expected,
    });
    for (const [s, sender] of senders.entries()) {
      const sent = Array.from({ length: 10 }, (_, k) => amountOf(s, k)).reduce((a, b) => a + b);
      expect((await balances(db.sql, sender)).debitsPosted).toBe(sent);
    }
    await expectBalanced(db.sql);
  }, 60_000);

  it('20 racing posts and voids of one pending: exactly one resolution, the rest refused', async () => {
    const [payer, payee] = (await openUserAccounts(db.sql, 2)) as [string, string];
    await fund(db.sql, [payer], 1_000n * TOKEN);
    for (let round = 0; round < 5; round++) {
      const pendingId = randomUUID();
      const [created] = await apply(db.sql, ALICE, [
        transferCommand(payer, payee, 10n * TOKEN, { id: pendingId, kind: 'pending' }),
      ]);
      expect(created?.status).toBe('created');
      const before = await balances(db.sql, payer);

      const racers: ResolveCommand[] = Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? { type: 'post', id: randomUUID(), pendingId, amount: BigInt(i / 2 + 1) * TOKEN }
          : { type: 'void', id: randomUUID(), pendingId },
      );
      const results = await whileLocked(
        db.sql,
        payer,
        () =>
          Promise.all(racers.map((command) => apply(db.sql, ALICE, [command]).then(([r]) => r))),
        round % 2 === 0 ? 200 : 0,
      );
      const winners = results.flatMap((r, i) => (r?.status === 'created' ? [racers[i]] : []));
      expect(winners).toHaveLength(1);
      const winner = winners[0] as ResolveCommand;
      const done = winner.type === 'post' ? 'posted' : 'voided';
      const refusals = results.flatMap((r) => (r?.status === 'failed' ? [r.error.code] : []));
      expect(refusals).toEqual(Array(19).fill(`pending_transfer_already_${done}`));

      const resolutions = await db.sql<{ id: string; kind: string; amount: string }[]>`
        select id, kind, amount from transfers where pending_id = ${pendingId}`;
      expect(resolutions).toEqual([
        {
          id: winner.id,
          kind: winner.type,
          amount: (winner.type === 'post' ? (winner.amount as bigint) : 10n * TOKEN).toString(),
        },
      ]);
      const posted = winner.type === 'post' ? (winner.amount as bigint) : 0n;
      expect(await balances(db.sql, payer)).toEqual({
        ...before,
        debitsPending: before.debitsPending - 10n * TOKEN,
        debitsPosted: before.debitsPosted + posted,
      });
    }
    await expectBalanced(db.sql);
  }, 60_000);

  it('20 concurrent sends of the same transfer id: one created, the others see it exists', async () => {
    const [payer, payee] = (await openUserAccounts(db.sql, 2)) as [string, string];
    await fund(db.sql, [payer], 100n * TOKEN);
    const command = transfer(payer, payee, 7n * TOKEN);
    const results = await whileLocked(db.sql, payer, () =>
      Promise.all(Array.from({ length: 20 }, () => apply(db.sql, ALICE, [command]).then(codes))),
    );
    expect(countBy(results.flat())).toEqual({ created: 1, exists: 19 });
    expect((await balances(db.sql, payee)).creditsPosted).toBe(7n * TOKEN);
  }, 60_000);

  it('20 concurrent sends of the same post (same id): one created, the others see it exists', async () => {
    // A client that retries a post while the first attempt is still running sends the same id
    // again; idempotency by id says the retry answers `exists`, as it does once the first is done.
    const [payer, payee] = (await openUserAccounts(db.sql, 2)) as [string, string];
    await fund(db.sql, [payer], 100n * TOKEN);
    const pendingId = randomUUID();
    await apply(db.sql, ALICE, [
      transferCommand(payer, payee, 10n * TOKEN, { id: pendingId, kind: 'pending' }),
    ]);
    const post: ResolveCommand = { type: 'post', id: randomUUID(), pendingId };
    const results = await whileLocked(db.sql, payer, () =>
      Promise.all(Array.from({ length: 20 }, () => apply(db.sql, ALICE, [post]).then(codes))),
    );
    // Sequentially, the same retry is `exists`:
    expect(codes(await apply(db.sql, ALICE, [post]))).toEqual(['exists']);
    expect(countBy(results.flat())).toEqual({ created: 1, exists: 19 });
  }, 60_000);

  it('no deadlock when concurrent operations take the same accounts in opposite orders', async () => {
    const [a, b, c] = (await openUserAccounts(db.sql, 3)) as [string, string, string];
    await fund(db.sql, [a, b, c], 1_000n * TOKEN);
    const before = await Promise.all([a, b, c].map((id) => balances(db.sql, id)));
    const operations: TransferCommand[][] = [
      ...Array.from({ length: 100 }, () => [transfer(a, b, TOKEN)]),
      ...Array.from({ length: 100 }, () => [transfer(b, a, TOKEN)]),
      // Two-account batches whose first account is the other's last.
      ...Array.from({ length: 25 }, () => [transfer(a, b, TOKEN), transfer(b, c, TOKEN)]),
      ...Array.from({ length: 25 }, () => [transfer(c, b, TOKEN), transfer(b, a, TOKEN)]),
    ].sort(() => Math.random() - 0.5);
    // No retry here: a deadlock (40P01) would fail the operation instead of being hidden.
    const outcomes = await Promise.allSettled(
      operations.map((commands) =>
        db.sql.begin((tx) =>
          applyOperation(tx as unknown as Database, ALICE, { action: 'swap', commands }),
        ),
      ),
    );
    const errors = outcomes.flatMap((o) =>
      o.status === 'rejected' ? [String((o.reason as { code?: string }).code ?? o.reason)] : [],
    );
    expect(errors).toEqual([]);
    const results = outcomes.flatMap((o) =>
      o.status === 'fulfilled' ? codes((o.value as { results: TransferResult[] }).results) : [],
    );
    expect(countBy(results)).toEqual({ created: 300 });
    const after = await Promise.all([a, b, c].map((id) => balances(db.sql, id)));
    const net = after.map(
      (x, i) =>
        x.creditsPosted -
        x.debitsPosted -
        ((before[i]?.creditsPosted ?? 0n) - (before[i]?.debitsPosted ?? 0n)),
    );
    // a: -100 +100 -25 +25 = 0; b: +100 -100 +25 -25 -25 +25 = 0; c: +25 -25 = 0.
    expect(net).toEqual([0n, 0n, 0n]);
    await expectBalanced(db.sql);
  }, 60_000);
});
