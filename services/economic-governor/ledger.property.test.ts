import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Database } from '../platform/db.js';
import { inTransaction } from '../platform/transactions.js';
import { type LedgerCode, systemAccountId } from './domain/ledgers.js';
import type { CreateKind, TransferCommand, TransferResult } from './domain/types.js';
import { applyOperation, type Caller } from './operations/apply-operation.js';
import { insertAccounts } from './repository/account-store.js';
import { ledgerTotals } from './repository/ledger-totals.js';
import { treasuryOf, useLedgerDatabase } from './testing/ledger-database.js';
import { expireDuePendingTransfers } from './workers/pending-expiry.js';

const TOKEN = 10n ** 18n;
const ADMIN: Caller = { subject: 'treasurer', admin: true };
const CALLERS: Record<'admin' | 'alice' | 'bob', Caller> = {
  admin: ADMIN,
  alice: { subject: 'alice', admin: false },
  bob: { subject: 'bob', admin: false },
};

// ---------------------------------------------------------------------------------------------
// Invariants, checked with SQL only (no engine code)
// ---------------------------------------------------------------------------------------------

const POSTED_KINDS = ['transfer', 'mint', 'burn', 'stake', 'unstake', 'reward', 'post'];

/** Each account's four balances recomputed from `transfers`; the rows that differ. */
async function balanceMismatches(sql: Database) {
  return sql`
    with effects (account_id, dp, dpo, cp, cpo) as (
      select debit_account_id, 0::numeric, amount, 0::numeric, 0::numeric
        from transfers where kind = any(${POSTED_KINDS})
      union all
      select credit_account_id, 0, 0, 0, amount from transfers where kind = any(${POSTED_KINDS})
      union all
      select debit_account_id, amount, 0, 0, 0 from transfers where kind = 'pending'
      union all
      select credit_account_id, 0, 0, amount, 0 from transfers where kind = 'pending'
      union all
      select p.debit_account_id, -p.amount, 0, 0, 0
        from transfers r join transfers p on p.id = r.pending_id
      union all
      select p.credit_account_id, 0, 0, -p.amount, 0
        from transfers r join transfers p on p.id = r.pending_id
    ), sums as (
      select account_id, sum(dp) as dp, sum(dpo) as dpo, sum(cp) as cp, sum(cpo) as cpo
        from effects group by account_id
    )
    select a.id, a.debits_pending, s.dp, a.debits_posted, s.dpo,
           a.credits_pending, s.cp, a.credits_posted, s.cpo
      from accounts a left join sums s on s.account_id = a.id
     where a.debits_pending <> coalesce(s.dp, 0) or a.debits_posted <> coalesce(s.dpo, 0)
        or a.credits_pending <> coalesce(s.cp, 0) or a.credits_posted <> coalesce(s.cpo, 0)`;
}

/** Every invariant of the ledger tables; each list is empty when the ledger is sound. */
async function invariantViolations(sql: Database) {
  const [unbalanced, mismatched, overLimit, supply, outbox, orphanEvents, resolutions, queue] =
    await Promise.all([
      sql`select ledger from accounts group by ledger
           having sum(debits_posted) <> sum(credits_posted)
               or sum(debits_pending) <> sum(credits_pending)`,
      balanceMismatches(sql),
      sql`select id from accounts
           where (debits_must_not_exceed_credits and debits_pending + debits_posted > credits_posted)
              or (credits_must_not_exceed_debits and credits_pending + credits_posted > debits_posted)
              or least(debits_pending, debits_posted, credits_pending, credits_posted) < 0`,
      sql`select a.ledger, a.debits_posted - a.credits_posted as supply,
                 coalesce(sum(t.amount) filter (where t.kind = 'mint'), 0)
                 - coalesce(sum(t.amount) filter (where t.kind = 'burn'), 0) as minted
            from accounts a left join transfers t on t.ledger = a.ledger and t.kind in ('mint', 'burn')
           where a.kind = 'issuance'
           group by a.id
          having a.debits_posted - a.credits_posted
                 <> coalesce(sum(t.amount) filter (where t.kind = 'mint'), 0)
                    - coalesce(sum(t.amount) filter (where t.kind = 'burn'), 0)`,
      // One event per transfer, describing it.
      sql`select t.id, count(o.id) as events
            from transfers t left join outbox o on o.key = t.id::text
             and o.topic = 'aia.ledger.transfers.v1'
             and o.payload->>'kind' = t.kind and o.payload->>'ledger' = t.ledger
             and (o.payload->>'seq')::bigint = t.seq
             and o.payload->>'debit_account_id' = t.debit_account_id::text
             and o.payload->>'credit_account_id' = t.credit_account_id::text
           group by t.id having count(o.id) <> 1`,
      sql`select o.id from outbox o
           where not exists (select 1 from transfers t where t.id::text = o.key)`,
      // A resolution resolves a pending transfer, and it alone; it cannot exceed it.
      sql`select r.pending_id from transfers r left join transfers p on p.id = r.pending_id
           where r.pending_id is not null
           group by r.pending_id, p.kind
          having count(*) > 1 or p.kind is distinct from 'pending'
              or bool_or(r.amount > p.amount or r.debit_account_id <> p.debit_account_id
                         or r.credit_account_id <> p.credit_account_id
                         or (r.kind <> 'post' and r.amount <> p.amount))`,
      // The timeout queue holds exactly the unresolved pendings that have a timeout.
      sql`select p.id, p.timeout_at, q.timeout_at as queued_at, r.id as resolution
            from transfers p
            left join pending_timeouts q on q.transfer_id = p.id
            left join transfers r on r.pending_id = p.id
           where p.kind = 'pending'
             and ((q.transfer_id is not null) <> (p.timeout_at is not null and r.id is null)
                  or q.timeout_at <> p.timeout_at)
          union all
          select q.transfer_id, q.timeout_at, q.timeout_at, null
            from pending_timeouts q left join transfers p on p.id = q.transfer_id
           where p.kind is distinct from 'pending'`,
    ]);
  return { unbalanced, mismatched, overLimit, supply, outbox, orphanEvents, resolutions, queue };
}

const NO_VIOLATIONS = {
  unbalanced: [],
  mismatched: [],
  overLimit: [],
  supply: [],
  outbox: [],
  orphanEvents: [],
  resolutions: [],
  queue: [],
};

// ---------------------------------------------------------------------------------------------
// Random operations
// ---------------------------------------------------------------------------------------------

/** Accounts of one run: 0 is the AIA treasury, 1..4 user accounts opened for the run. */
const ACCOUNT_REFS = 5;

type Step =
  | {
      readonly c: 'move';
      readonly kind: CreateKind;
      readonly from: number;
      readonly to: number;
      readonly amount: bigint;
    }
  | {
      readonly c: 'pending';
      readonly from: number;
      readonly to: number;
      readonly amount: bigint;
      readonly timeout?: number;
    }
  | { readonly c: 'post'; readonly pending: number; readonly amount?: bigint }
  | { readonly c: 'void'; readonly pending: number }
  | { readonly c: 'mint' | 'burn'; readonly amount: bigint };

type Op =
  | {
      readonly t: 'batch';
      readonly caller: keyof typeof CALLERS;
      readonly steps: readonly (Step & { linked: boolean })[];
    }
  /** An expiry sweep, after waiting out the 1 s timeouts when `wait`. */
  | { readonly t: 'expire'; readonly wait: boolean }
  | { readonly t: 'retry'; readonly op: number };

const amountArb = fc.oneof(
  fc.bigInt({ min: 1n, max: 40n }).map((tokens) => tokens * TOKEN),
  fc.bigInt({ min: 1n, max: 40n * TOKEN }),
);
const ref = fc.nat({ max: ACCOUNT_REFS - 1 });
const pair = fc.tuple(ref, ref).filter(([a, b]) => a !== b);

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .record({
        kind: fc.constantFrom<CreateKind>('transfer', 'transfer', 'reward', 'stake', 'unstake'),
        accounts: pair,
        amount: amountArb,
      })
      .map(({ kind, accounts: [from, to], amount }) => ({
        c: 'move' as const,
        kind,
        from,
        to,
        amount,
      })),
  },
  {
    weight: 3,
    arbitrary: fc
      .record({
        accounts: pair,
        amount: amountArb,
        timeout: fc.constantFrom(undefined, undefined, 1, 3600),
      })
      .map(({ accounts: [from, to], amount, timeout }) => ({
        c: 'pending' as const,
        from,
        to,
        amount,
        ...(timeout ? { timeout } : {}),
      })),
  },
  {
    weight: 3,
    arbitrary: fc
      .record({ pending: fc.nat({ max: 30 }), amount: fc.option(amountArb, { nil: undefined }) })
      .map(({ pending, amount }) => ({
        c: 'post' as const,
        pending,
        ...(amount ? { amount } : {}),
      })),
  },
  { weight: 2, arbitrary: fc.nat({ max: 30 }).map((pending) => ({ c: 'void' as const, pending })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('mint' as const, 'burn' as const), amountArb)
      .map(([c, amount]) => ({ c, amount })),
  },
);

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      t: fc.constant('batch' as const),
      caller: fc.constantFrom<keyof typeof CALLERS>('admin', 'admin', 'admin', 'alice', 'bob'),
      steps: fc.array(
        fc
          .tuple(stepArb, fc.nat({ max: 3 }))
          .map(([step, linked]) => ({ ...step, linked: linked === 0 })),
        { minLength: 1, maxLength: 4 },
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.nat({ max: 3 }).map((n) => ({ t: 'expire' as const, wait: n === 0 })),
  },
  { weight: 1, arbitrary: fc.nat({ max: 30 }).map((op) => ({ t: 'retry' as const, op })) },
);

const runArb = fc.record({
  accounts: fc.array(
    fc.record({
      owner: fc.constantFrom('alice', 'bob'),
      limit: fc.constantFrom('debits', 'debits', 'credits', 'none'),
    }),
    { minLength: ACCOUNT_REFS - 1, maxLength: ACCOUNT_REFS - 1 },
  ),
  funding: fc.array(fc.bigInt({ min: 1n, max: 200n }), {
    minLength: ACCOUNT_REFS - 1,
    maxLength: ACCOUNT_REFS - 1,
  }),
  ops: fc.array(opArb, { minLength: 3, maxLength: 14 }),
});

type Run = typeof runArb extends fc.Arbitrary<infer R> ? R : never;

/** What one run sent and got back, for the checks against the database. */
interface Sent {
  readonly command: TransferCommand;
  readonly result: TransferResult;
  /** Which operation it was part of. */
  readonly operation: number;
}

async function execute(sql: Database, run: Run): Promise<{ sent: Sent[]; retried: Sent[] }> {
  const accounts = run.accounts.map(({ owner, limit }) => ({
    id: randomUUID(),
    ledger: 'AIA' as const,
    kind: 'user' as const,
    owner,
    debitsMustNotExceedCredits: limit === 'debits',
    creditsMustNotExceedDebits: limit === 'credits',
  }));
  await insertAccounts(sql, accounts);
  const ids = [treasuryOf('AIA'), ...accounts.map((a) => a.id)];
  const idOf = (n: number) => ids[n] as string;
  const sent: Sent[] = [];
  const retried: Sent[] = [];
  const pendings: string[] = [];
  const batches: TransferCommand[][] = [];
  let operations = 0;

  const apply = async (caller: Caller, action: string, commands: TransferCommand[]) => {
    const { results } = await inTransaction(sql, (tx) =>
      applyOperation(tx, caller, { action, ledger: 'AIA', commands }),
    );
    expect(results).toHaveLength(commands.length);
    operations++;
    return commands.map((command, index) => ({
      command,
      result: results[index] as TransferResult,
      operation: operations,
    }));
  };

  const funding = run.funding.map(
    (tokens, index): TransferCommand => ({
      type: 'create',
      id: randomUUID(),
      kind: 'transfer',
      ledger: 'AIA',
      debitAccountId: idOf(0),
      creditAccountId: idOf(index + 1),
      amount: tokens * TOKEN,
    }),
  );
  sent.push(...(await apply(ADMIN, 'fund', funding)));

  const commandOf = (step: Step, linked: boolean): TransferCommand => {
    const id = randomUUID();
    const link = linked ? { linked } : {};
    const pendingId = (n: number) => pendings[n % Math.max(pendings.length, 1)] ?? randomUUID();
    switch (step.c) {
      case 'move':
      case 'pending':
        return {
          type: 'create',
          id,
          kind: step.c === 'move' ? step.kind : 'pending',
          ledger: 'AIA',
          debitAccountId: idOf(step.from),
          creditAccountId: idOf(step.to),
          amount: step.amount,
          ...(step.c === 'pending' && step.timeout ? { timeoutSeconds: step.timeout } : {}),
          ...link,
        };
      case 'mint':
      case 'burn': {
        const [issuance, treasury] = [systemAccountId('AIA', 'issuance'), treasuryOf('AIA')];
        return {
          type: 'create',
          id,
          kind: step.c,
          ledger: 'AIA',
          debitAccountId: step.c === 'mint' ? issuance : treasury,
          creditAccountId: step.c === 'mint' ? treasury : issuance,
          amount: step.amount,
          ...link,
        };
      }
      case 'post':
        return {
          type: 'post',
          id,
          pendingId: pendingId(step.pending),
          ...(step.amount ? { amount: step.amount } : {}),
          ...link,
        };
      case 'void':
        return { type: 'void', id, pendingId: pendingId(step.pending), ...link };
    }
  };

  for (const op of run.ops) {
    if (op.t === 'expire') {
      if (op.wait) await new Promise((resolve) => setTimeout(resolve, 1_050));
      await expireDuePendingTransfers(sql);
      continue;
    }
    if (op.t === 'retry') {
      // The same commands again (unlinked): each created one is now `exists`, nothing new.
      const earlier = batches[op.op % Math.max(batches.length, 1)] ?? [];
      const again = earlier
        .filter((command) =>
          sent.some((s) => s.command.id === command.id && s.result.status === 'created'),
        )
        .map((command) => ({ ...command, linked: false }));
      if (again.length > 0) retried.push(...(await apply(ADMIN, 'retry', again)));
      continue;
    }
    const commands = op.steps.map((step) => commandOf(step, step.linked));
    batches.push(commands);
    const outcome = await apply(CALLERS[op.caller], 'batch', commands);
    sent.push(...outcome);
    for (const { command, result } of outcome)
      if (result.status === 'created' && command.type === 'create' && command.kind === 'pending')
        pendings.push(command.id);
  }
  return { sent, retried };
}

// ---------------------------------------------------------------------------------------------

describe('ledger properties on PostgreSQL', () => {
  const db = useLedgerDatabase('ledger_property');

  it('random operation sequences keep every invariant of the ledger tables', async () => {
    const stats = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(runArb, async (run) => {
        const supplyBefore = (await ledgerTotals(db.sql, 'AIA')).supply;
        const { sent, retried } = await execute(db.sql, run);

        expect(await invariantViolations(db.sql)).toEqual(NO_VIOLATIONS);

        // Supply moved by exactly the mints and burns this run committed.
        const minted = sent.reduce((total, { command, result }) => {
          if (result.status !== 'created' || command.type !== 'create') return total;
          if (command.kind === 'mint') return total + command.amount;
          if (command.kind === 'burn') return total - command.amount;
          return total;
        }, 0n);
        expect((await ledgerTotals(db.sql, 'AIA')).supply - supplyBefore).toBe(minted);

        // What the results said is what the database holds: created rows exist as reported,
        // refused commands (all with fresh ids) left no row.
        const rows = await db.sql<{ id: string; kind: string; amount: string }[]>`
          select id, kind, amount from transfers
           where id = any(${sent.map((s) => s.command.id)}::uuid[])`;
        const stored = new Map(rows.map((row) => [row.id, row]));
        for (const { command, result } of sent) {
          const key = result.status === 'failed' ? result.error.code : `created:${command.type}`;
          stats.set(key, (stats.get(key) ?? 0) + 1);
          if (result.status === 'failed') {
            expect(stored.has(command.id), `${command.id} was refused`).toBe(false);
            continue;
          }
          // Every command had a fresh id: nothing can be `exists`.
          expect(result.status).toBe('created');
          expect(stored.get(command.id)).toEqual({
            id: command.id,
            kind: result.transfer.kind,
            amount: result.transfer.amount.toString(),
          });
        }
        // Linked chains were all or nothing in the database too.
        let chain: Sent[] = [];
        for (const [index, entry] of sent.entries()) {
          chain.push(entry);
          if (entry.command.linked && sent[index + 1]?.operation === entry.operation) continue;
          const present = chain.map((s) => stored.has(s.command.id));
          expect(present.every((p) => p === present[0])).toBe(true);
          chain = [];
        }
        for (const { result } of retried) expect(result.status).toBe('exists');
      }),
      { numRuns: 25 },
    );
    // The sequences did reach the interesting paths.
    for (const code of ['created:create', 'created:post', 'created:void', 'exceeds_credits'])
      expect(stats.get(code) ?? 0, code).toBeGreaterThan(0);
  }, 60_000);

  it('pendings with a 1 s timeout expire in a sweep, and the invariants still hold', async () => {
    const from = await openFunded(db.sql);
    const ids = Array.from({ length: 5 }, () => randomUUID());
    await inTransaction(db.sql, (tx) =>
      applyOperation(tx, ADMIN, {
        action: 'reserve',
        commands: ids.map((id) => ({
          type: 'create',
          id,
          kind: 'pending',
          ledger: 'AIA',
          debitAccountId: from,
          creditAccountId: treasuryOf('AIA'),
          amount: TOKEN,
          timeoutSeconds: 1,
        })),
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await expireDuePendingTransfers(db.sql);
    const expired = await db.sql`
      select pending_id from transfers where kind = 'expire' and pending_id = any(${ids}::uuid[])`;
    expect(expired).toHaveLength(ids.length);
    expect(await invariantViolations(db.sql)).toEqual(NO_VIOLATIONS);
  });

  it('per ledger, debits equal credits for both ledgers', async () => {
    for (const ledger of ['AIA', 'AIA_GOV'] as LedgerCode[]) {
      const totals = await ledgerTotals(db.sql, ledger);
      expect(totals.debitsPosted).toBe(totals.creditsPosted);
      expect(totals.debitsPending).toBe(totals.creditsPending);
    }
  });
});

async function openFunded(sql: Database): Promise<string> {
  const id = randomUUID();
  await insertAccounts(sql, [
    {
      id,
      ledger: 'AIA',
      kind: 'user',
      owner: 'alice',
      debitsMustNotExceedCredits: true,
      creditsMustNotExceedDebits: false,
    },
  ]);
  await inTransaction(sql, (tx) =>
    applyOperation(tx, ADMIN, {
      action: 'fund',
      commands: [
        {
          type: 'create',
          id: randomUUID(),
          kind: 'transfer',
          ledger: 'AIA',
          debitAccountId: treasuryOf('AIA'),
          creditAccountId: id,
          amount: 100n * TOKEN,
        },
      ],
    }),
  );
  return id;
}
