import { randomUUID } from 'node:crypto';
import type { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { serviceDefinition } from '../../catalog.js';
import type { Database } from '../../platform/db.js';
import { createServiceMetrics } from '../../platform/metrics.js';
import { createWorkers } from '../../platform/workers.js';
import type { TransferCommand, TransferResult } from '../domain/types.js';
import { createLedgerMetrics } from '../metrics.js';
import { applyOperation } from '../operations/apply-operation.js';
import {
  ADMIN,
  ALICE,
  apply,
  openUserAccounts,
  silentLogger,
  TOKEN,
  treasuryOf,
  useLedgerDatabase,
} from '../testing/ledger-database.js';
import { expireDuePendingTransfers, pendingExpiryWorker } from './pending-expiry.js';

/** The expiry running on the kit's workers, as the service runs it. */
function startExpiry(options: Parameters<typeof pendingExpiryWorker>[0], registry: Registry) {
  const workers = createWorkers({ logger: options.logger, registry });
  workers.add(pendingExpiryWorker(options));
  workers.start();
  return workers;
}

import { findAccount } from '../repository/account-store.js';
import { ledgerTotals } from '../repository/ledger-totals.js';

const codes = (results: readonly TransferResult[]) =>
  results.map((r) => (r.status === 'failed' ? r.error.code : r.status));

const pending = (
  id: string,
  debit: string,
  credit: string,
  amount: bigint,
  timeoutSeconds?: number,
): TransferCommand => ({
  type: 'create',
  id,
  kind: 'pending',
  ledger: 'AIA',
  debitAccountId: debit,
  creditAccountId: credit,
  amount,
  ...(timeoutSeconds ? { timeoutSeconds } : {}),
});

/** A user account of alice funded with `tokens` from the treasury. */
async function fundedAccount(sql: Database, tokens: bigint): Promise<[string, string]> {
  const [payer, payee] = (await openUserAccounts(sql, 2)) as [string, string];
  const results = await apply(sql, ADMIN, [
    {
      type: 'create',
      id: randomUUID(),
      kind: 'transfer',
      ledger: 'AIA',
      debitAccountId: treasuryOf('AIA'),
      creditAccountId: payer,
      amount: tokens * TOKEN,
    },
  ]);
  expect(codes(results)).toEqual(['created']);
  return [payer, payee];
}

async function available(sql: Database, id: string): Promise<bigint> {
  const row = await findAccount(sql, id);
  if (!row) throw new Error(`no account ${id}`);
  return BigInt(row.credits_posted) - BigInt(row.debits_posted) - BigInt(row.debits_pending);
}

/** Waits until the database clock is past every timeout of these pendings. */
async function waitUntilDue(sql: Database, ids: readonly string[]): Promise<void> {
  for (;;) {
    const [row] = await sql<{ wait_ms: number }[]>`
      select coalesce(extract(epoch from max(timeout_at) - clock_timestamp()) * 1000, 0)::float8 as wait_ms
        from transfers where id = any(${ids as string[]}::uuid[])`;
    const waitMs = row?.wait_ms ?? 0;
    if (waitMs < 0) return;
    await new Promise((resolve) => setTimeout(resolve, waitMs + 20));
  }
}

async function resolutionsOf(sql: Database, ids: readonly string[]) {
  return sql<{ pending_id: string; kind: string; n: number }[]>`
    select pending_id, min(kind) as kind, count(*)::int as n from transfers
     where pending_id = any(${ids as string[]}::uuid[]) group by pending_id`;
}

async function queuedOf(sql: Database, ids: readonly string[]): Promise<string[]> {
  const rows = await sql<{ transfer_id: string }[]>`
    select transfer_id from pending_timeouts where transfer_id = any(${ids as string[]}::uuid[])`;
  return rows.map((row) => row.transfer_id);
}

describe('expiry of pending transfers', () => {
  const db = useLedgerDatabase('ledger_expiry');

  it('4 replicas sweeping at once expire each due pending exactly once and release it', async () => {
    const [payer, payee] = await fundedAccount(db.sql, 100n);
    const expiring = Array.from({ length: 12 }, () => randomUUID());
    const postedInTime = randomUUID();
    const voidedInTime = randomUUID();
    const lateToPost = randomUUID();
    const withoutTimeout = randomUUID();
    const created = await apply(db.sql, ALICE, [
      ...expiring.map((id) => pending(id, payer, payee, TOKEN, 1)),
      pending(postedInTime, payer, payee, 5n * TOKEN, 1),
      pending(voidedInTime, payer, payee, 5n * TOKEN, 1),
      pending(lateToPost, payer, payee, 5n * TOKEN, 1),
      pending(withoutTimeout, payer, payee, 5n * TOKEN),
    ]);
    expect(codes(created).every((code) => code === 'created')).toBe(true);
    const all = [...expiring, postedInTime, voidedInTime, lateToPost, withoutTimeout];
    expect((await queuedOf(db.sql, all)).sort()).toEqual(
      [...expiring, postedInTime, voidedInTime, lateToPost].sort(),
    );
    expect(await available(db.sql, payer)).toBe((100n - 12n - 20n) * TOKEN);

    // Posted and voided before the timeout: they leave the queue at once.
    const settled = await apply(db.sql, ALICE, [
      { type: 'post', id: randomUUID(), pendingId: postedInTime, amount: 2n * TOKEN },
      { type: 'void', id: randomUUID(), pendingId: voidedInTime },
    ]);
    expect(codes(settled)).toEqual(['created', 'created']);
    expect(await queuedOf(db.sql, [postedInTime, voidedInTime])).toEqual([]);

    await waitUntilDue(db.sql, all);
    // Past its timeout but not yet swept: a post is refused as expired, and changes nothing.
    const late = await apply(db.sql, ALICE, [
      { type: 'post', id: randomUUID(), pendingId: lateToPost },
    ]);
    expect(codes(late)).toEqual(['pending_transfer_expired']);

    const swept = await Promise.all(
      Array.from({ length: 4 }, () => expireDuePendingTransfers(db.sql)),
    );
    expect(swept.reduce((a, b) => a + b, 0)).toBe(expiring.length + 1);

    const resolutions = await resolutionsOf(db.sql, all);
    expect(new Map(resolutions.map((r) => [r.pending_id, [r.kind, r.n]]))).toEqual(
      new Map<string, [string, number]>([
        ...expiring.map((id): [string, [string, number]] => [id, ['expire', 1]]),
        [lateToPost, ['expire', 1]],
        [postedInTime, ['post', 1]],
        [voidedInTime, ['void', 1]],
      ]),
    );
    expect(await queuedOf(db.sql, all)).toEqual([]);
    // Reservations released: only the 2 tokens posted and the pending without timeout remain.
    expect(await available(db.sql, payer)).toBe((100n - 2n - 5n) * TOKEN);
    const row = await findAccount(db.sql, payer);
    expect(row?.debits_pending).toBe((5n * TOKEN).toString());

    // Expired means resolved: post and void are refused, and another sweep finds nothing.
    const after = await apply(db.sql, ALICE, [
      { type: 'post', id: randomUUID(), pendingId: expiring[0] as string },
      { type: 'void', id: randomUUID(), pendingId: expiring[1] as string },
    ]);
    expect(codes(after)).toEqual([
      'pending_transfer_already_expired',
      'pending_transfer_already_expired',
    ]);
    expect(await expireDuePendingTransfers(db.sql)).toBe(0);

    // The one without a timeout is still pending and can be posted.
    expect(
      codes(
        await apply(db.sql, ALICE, [{ type: 'post', id: randomUUID(), pendingId: withoutTimeout }]),
      ),
    ).toEqual(['created']);

    const totals = await ledgerTotals(db.sql, 'AIA');
    expect(totals.debitsPosted).toBe(totals.creditsPosted);
    expect(totals.debitsPending).toBe(totals.creditsPending);
  }, 30_000);

  it('an expiry is written as one transfer per pending with its own outbox event and audit entry', async () => {
    const [payer, payee] = await fundedAccount(db.sql, 10n);
    const ids = [randomUUID(), randomUUID()];
    await apply(
      db.sql,
      ALICE,
      ids.map((id) => pending(id, payer, payee, TOKEN, 1)),
    );
    await waitUntilDue(db.sql, ids);
    expect(await expireDuePendingTransfers(db.sql)).toBe(2);
    const rows = await db.sql<
      { id: string; amount: string; actor: string; action: string; events: number }[]
    >`
      select t.id, t.amount, a.actor, a.action,
             (select count(*)::int from outbox o where o.key = t.id::text) as events
        from transfers t join audit_log a on a.id = t.audit_id
       where t.pending_id = any(${ids}::uuid[]) and t.kind = 'expire'`;
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toMatchObject({
        amount: TOKEN.toString(),
        actor: 'system:expiry',
        action: 'transfer.expire',
        events: 1,
      });
    }
    expect(await available(db.sql, payer)).toBe(10n * TOKEN);
  }, 30_000);

  it('a post whose transaction began before the timeout, racing the sweep: one resolution', async () => {
    const [payer, payee] = await fundedAccount(db.sql, 10n);
    const id = randomUUID();
    await apply(db.sql, ALICE, [pending(id, payer, payee, 4n * TOKEN, 1)]);
    // The post's transaction takes the account locks before the timeout and writes after it
    // (its clock, now(), is still before the timeout); the sweep starts in between.
    const post = db.sql.begin(async (tx) => {
      await tx`select id from accounts where id in (${payer}, ${payee}) order by id for update`;
      await waitUntilDue(db.sql, [id]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      return applyOperation(tx as unknown as Database, ALICE, {
        action: 'transfer.post',
        commands: [{ type: 'post', id: randomUUID(), pendingId: id }],
      });
    });
    await waitUntilDue(db.sql, [id]);
    const [posted, expired] = await Promise.all([
      post.then((outcome) => codes(outcome.results)),
      expireDuePendingTransfers(db.sql),
    ]);
    const resolutions = await resolutionsOf(db.sql, [id]);
    expect(resolutions).toHaveLength(1);
    expect(resolutions[0]?.n).toBe(1);
    if (resolutions[0]?.kind === 'post') {
      expect([posted, expired]).toEqual([['created'], 0]);
      expect(await available(db.sql, payer)).toBe(6n * TOKEN);
    } else {
      expect(expired).toBe(1);
      expect(await available(db.sql, payer)).toBe(10n * TOKEN);
    }
    expect(await queuedOf(db.sql, [id])).toEqual([]);
  }, 30_000);

  it('the background task expires a due pending by itself, counts it, and stop() resolves', async () => {
    const { registry } = createServiceMetrics({
      service: 'economic-governor',
      declared: serviceDefinition('economic-governor').metrics,
    });
    const metrics = createLedgerMetrics(registry);
    const committed = async () =>
      (await registry.getSingleMetric('token_transactions_total')?.get())?.values.find(
        (v) => v.labels.ledger === 'AIA' && v.labels.result === 'committed',
      )?.value ?? 0;

    const [payer, payee] = await fundedAccount(db.sql, 10n);
    const id = randomUUID();
    await apply(db.sql, ALICE, [pending(id, payer, payee, 3n * TOKEN, 1)]);
    expect(await available(db.sql, payer)).toBe(7n * TOKEN);

    const task = startExpiry(
      {
        sql: db.sql,
        logger: silentLogger,
        metrics,
        intervalMs: 100,
      },
      registry,
    );
    try {
      const deadline = Date.now() + 5_000;
      let resolutions = await resolutionsOf(db.sql, [id]);
      while (resolutions.length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        resolutions = await resolutionsOf(db.sql, [id]);
      }
      expect(resolutions).toEqual([{ pending_id: id, kind: 'expire', n: 1 }]);
      expect(await available(db.sql, payer)).toBe(10n * TOKEN);
      expect(await committed()).toBe(1);
    } finally {
      await expect(task.stop()).resolves.toBeUndefined();
    }
    // Stopped: a pending due later is left alone.
    const later = randomUUID();
    await apply(db.sql, ALICE, [pending(later, payer, payee, TOKEN, 1)]);
    await waitUntilDue(db.sql, [later]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await resolutionsOf(db.sql, [later])).toEqual([]);
    expect(await expireDuePendingTransfers(db.sql)).toBe(1);
  }, 30_000);

  it('stop() waits for a sweep in progress and can be called twice', async () => {
    const { registry } = createServiceMetrics({
      service: 'economic-governor',
      declared: serviceDefinition('economic-governor').metrics,
    });
    const task = startExpiry(
      {
        sql: db.sql,
        logger: silentLogger,
        metrics: createLedgerMetrics(registry),
        intervalMs: 50,
      },
      registry,
    );
    await new Promise((resolve) => setTimeout(resolve, 175));
    await task.stop();
    await task.stop();
  });
});
