import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AmountError, formatAmount, MAX_MINOR_UNITS, parseAmount } from './amounts.js';
import { applyBatch, type BatchOutcome, type LedgerState } from './engine.js';
import type { AccountKind } from './ledgers.js';
import type {
  AccountState,
  Balances,
  CreateCommand,
  CreateKind,
  PendingState,
  ResolutionKind,
  TransferCommand,
  TransferRecord,
  TransferResult,
} from './types.js';

// ---------------------------------------------------------------------------------------------
// In-memory state
// ---------------------------------------------------------------------------------------------

type Limit = 'debits' | 'credits' | 'none';

interface AccountSpec {
  readonly kind: AccountKind;
  readonly owner: string;
  readonly limit: Limit;
}

const T0 = new Date('2030-01-01T00:00:00.000Z');

function account(id: string, spec: AccountSpec): AccountState {
  return {
    id,
    ledger: 'AIA',
    kind: spec.kind,
    owner: spec.owner,
    debitsMustNotExceedCredits: spec.limit === 'debits',
    creditsMustNotExceedDebits: spec.limit === 'credits',
    debitsPending: 0n,
    debitsPosted: 0n,
    creditsPending: 0n,
    creditsPosted: 0n,
  };
}

/** A mutable ledger whose `now` can move between batches, as successive transactions see it. */
interface World {
  accounts: Map<string, AccountState>;
  transfers: Map<string, TransferRecord>;
  pendings: Map<string, PendingState>;
  now: Date;
  canDebit: (account: AccountState) => boolean;
}

function world(
  specs: Record<string, AccountSpec>,
  canDebit: (account: AccountState) => boolean = () => true,
): World {
  return {
    accounts: new Map(Object.entries(specs).map(([id, spec]) => [id, account(id, spec)])),
    transfers: new Map(),
    pendings: new Map(),
    now: T0,
    canDebit,
  };
}

const stateOf = (w: World): LedgerState => ({
  accounts: w.accounts,
  transfers: w.transfers,
  pendings: w.pendings,
  now: w.now,
  canDebit: w.canDebit,
});

function clone(w: World): World {
  return {
    accounts: new Map([...w.accounts].map(([id, a]) => [id, { ...a }])),
    transfers: new Map(w.transfers),
    pendings: new Map([...w.pendings].map(([id, p]) => [id, { ...p }])),
    now: w.now,
    canDebit: w.canDebit,
  };
}

const run = (w: World, commands: readonly TransferCommand[]): BatchOutcome =>
  applyBatch(stateOf(w), commands);

const balances = (a: AccountState): Balances => ({
  debitsPending: a.debitsPending,
  debitsPosted: a.debitsPosted,
  creditsPending: a.creditsPending,
  creditsPosted: a.creditsPosted,
});

const allBalances = (w: World) =>
  Object.fromEntries([...w.accounts].map(([id, a]) => [id, balances(a)]));

const codeOf = (result: TransferResult | undefined) =>
  result?.status === 'failed' ? result.error.code : result?.status;

const create = (
  id: string,
  debit: string,
  credit: string,
  amount: bigint,
  extra: Partial<Omit<CreateCommand, 'type'>> = {},
): TransferCommand => ({
  type: 'create',
  id,
  kind: 'transfer',
  ledger: 'AIA',
  debitAccountId: debit,
  creditAccountId: credit,
  amount,
  ...extra,
});

const resolve = (
  type: ResolutionKind,
  id: string,
  pendingId: string,
  extra: { amount?: bigint; linked?: boolean; memo?: string } = {},
): TransferCommand => ({ type, id, pendingId, ...extra });

const POSTED_KINDS = new Set(['transfer', 'mint', 'burn', 'stake', 'unstake', 'reward', 'post']);

/**
 * Balances recomputed from the committed transfers only (independent of the engine's
 * bookkeeping): posted kinds move posted balances, a pending reserves until a post, void or
 * expire releases the whole pending amount.
 */
function recompute(
  ids: readonly string[],
  history: readonly TransferRecord[],
): Record<string, Balances> {
  const result: Record<string, Balances> = Object.fromEntries(
    ids.map((id) => [
      id,
      { debitsPending: 0n, debitsPosted: 0n, creditsPending: 0n, creditsPosted: 0n },
    ]),
  );
  const byId = new Map(history.map((t) => [t.id, t]));
  const add = (id: string, field: keyof Balances, amount: bigint) => {
    const entry = result[id] as { -readonly [K in keyof Balances]: bigint };
    entry[field] += amount;
  };
  for (const t of history) {
    if (POSTED_KINDS.has(t.kind)) {
      add(t.debitAccountId, 'debitsPosted', t.amount);
      add(t.creditAccountId, 'creditsPosted', t.amount);
    }
    if (t.kind === 'pending') {
      add(t.debitAccountId, 'debitsPending', t.amount);
      add(t.creditAccountId, 'creditsPending', t.amount);
    }
    if (t.pendingId) {
      const pending = byId.get(t.pendingId) as TransferRecord;
      add(pending.debitAccountId, 'debitsPending', -pending.amount);
      add(pending.creditAccountId, 'creditsPending', -pending.amount);
    }
  }
  return result;
}

/** Maximal linked chains of a batch: [start, end] inclusive; a lone command is a chain of one. */
function chainsOf(commands: readonly TransferCommand[]): [number, number][] {
  const chains: [number, number][] = [];
  let start = 0;
  commands.forEach((command, index) => {
    if (!command.linked || index === commands.length - 1) {
      chains.push([start, index]);
      start = index + 1;
    }
  });
  return chains;
}

// ---------------------------------------------------------------------------------------------
// Example-based rules
// ---------------------------------------------------------------------------------------------

describe('applyBatch: the rules, one by one', () => {
  const specs = {
    source: { kind: 'operating', owner: 'system', limit: 'none' },
    alice: { kind: 'user', owner: 'alice', limit: 'debits' },
    bob: { kind: 'user', owner: 'bob', limit: 'debits' },
    capped: { kind: 'operating', owner: 'system', limit: 'credits' },
    issuance: { kind: 'issuance', owner: 'system', limit: 'none' },
  } satisfies Record<string, AccountSpec>;

  const funded = (aliceTokens = 100n) => {
    const w = world(specs);
    const outcome = run(w, [create('fund', 'source', 'alice', aliceTokens)]);
    expect(codeOf(outcome.results[0])).toBe('created');
    return w;
  };

  it('moves posted amounts and reports the deltas of the accounts that changed', () => {
    const w = funded();
    const outcome = run(w, [create('t1', 'alice', 'bob', 30n)]);
    expect(outcome.results).toEqual([{ status: 'created', transfer: expect.any(Object) }]);
    expect(outcome.created.map((t) => t.id)).toEqual(['t1']);
    expect(outcome.deltas).toEqual(
      new Map([
        ['alice', { debitsPending: 0n, debitsPosted: 30n, creditsPending: 0n, creditsPosted: 0n }],
        ['bob', { debitsPending: 0n, debitsPosted: 0n, creditsPending: 0n, creditsPosted: 30n }],
      ]),
    );
  });

  it('refuses an overdraft of a debits-limited account, counting pending reservations', () => {
    const w = funded(100n);
    expect(codeOf(run(w, [create('p', 'alice', 'bob', 60n, { kind: 'pending' })]).results[0])).toBe(
      'created',
    );
    const outcome = run(w, [create('t', 'alice', 'bob', 41n)]);
    expect(outcome.results[0]).toMatchObject({
      status: 'failed',
      error: { code: 'exceeds_credits', field: 'amount' },
    });
    expect(outcome.deltas.size).toBe(0);
    expect(codeOf(run(w, [create('t2', 'alice', 'bob', 40n)]).results[0])).toBe('created');
  });

  it('refuses a credit beyond the debits of a credits-limited account', () => {
    const w = world(specs);
    expect(codeOf(run(w, [create('in', 'source', 'capped', 1n)]).results[0])).toBe(
      'exceeds_debits',
    );
    expect(codeOf(run(w, [create('out', 'capped', 'source', 10n)]).results[0])).toBe('created');
    expect(codeOf(run(w, [create('in2', 'source', 'capped', 10n)]).results[0])).toBe('created');
    expect(codeOf(run(w, [create('in3', 'source', 'capped', 1n)]).results[0])).toBe(
      'exceeds_debits',
    );
  });

  it('refuses a transfer that would take an account past what numeric(38,0) holds', () => {
    const w = world({ ...specs, other: { kind: 'operating', owner: 'system', limit: 'none' } });
    const nearlyFull = MAX_MINOR_UNITS - 5n;
    expect(codeOf(run(w, [create('big', 'source', 'bob', nearlyFull)]).results[0])).toBe('created');
    const overCredits = run(w, [create('more', 'source', 'bob', 6n)]);
    expect(overCredits.results[0]).toMatchObject({
      status: 'failed',
      error: { code: 'overflows_debits', field: 'amount' },
    });
    expect(overCredits.deltas.size).toBe(0);
    // Pending and posted count together: a reservation leaves no room for a later transfer.
    expect(codeOf(run(w, [create('p', 'other', 'bob', 5n, { kind: 'pending' })]).results[0])).toBe(
      'created',
    );
    expect(codeOf(run(w, [create('t', 'other', 'bob', 1n)]).results[0])).toBe('overflows_credits');
  });

  it('refuses malformed transfers with the field at fault', () => {
    const w = funded();
    const outcome = run(w, [
      create('same', 'alice', 'alice', 1n),
      create('nodebit', 'ghost', 'bob', 1n),
      create('nocredit', 'alice', 'ghost', 1n),
      create('gov', 'alice', 'bob', 1n, { ledger: 'AIA_GOV' }),
      create('iss', 'issuance', 'bob', 1n),
      create('iss2', 'alice', 'issuance', 1n),
    ]);
    expect(
      outcome.results.map((r) => (r.status === 'failed' ? [r.error.code, r.error.field] : r)),
    ).toEqual([
      ['accounts_must_be_different', 'credit_account_id'],
      ['account_not_found', 'debit_account_id'],
      ['account_not_found', 'credit_account_id'],
      ['ledger_mismatch', 'debit_account_id'],
      ['issuance_account_reserved', 'debit_account_id'],
      ['issuance_account_reserved', 'credit_account_id'],
    ]);
    expect(outcome.created).toEqual([]);
    expect(outcome.deltas.size).toBe(0);
  });

  it('lets mint and burn use the issuance account', () => {
    const w = world(specs);
    const outcome = run(w, [
      create('m', 'issuance', 'source', 500n, { kind: 'mint' }),
      create('b', 'source', 'issuance', 200n, { kind: 'burn' }),
    ]);
    expect(outcome.results.map(codeOf)).toEqual(['created', 'created']);
    const issuance = w.accounts.get('issuance') as AccountState;
    expect(issuance.debitsPosted - issuance.creditsPosted).toBe(300n);
  });

  it('refuses to debit an account the caller does not own', () => {
    const w = funded();
    const asAlice = { ...w, canDebit: (a: AccountState) => a.owner === 'alice' };
    expect(codeOf(run(asAlice, [create('a', 'alice', 'bob', 1n)]).results[0])).toBe('created');
    expect(run(asAlice, [create('b', 'source', 'bob', 1n)]).results[0]).toMatchObject({
      status: 'failed',
      error: { code: 'not_account_owner', field: 'debit_account_id' },
    });
  });

  it('is idempotent by id: the same transfer again exists, other fields conflict', () => {
    const w = funded();
    run(w, [create('t', 'alice', 'bob', 5n, { memo: 'rent' })]);
    const again = run(w, [
      create('t', 'alice', 'bob', 5n, { memo: 'rent' }),
      create('t', 'alice', 'bob', 6n, { memo: 'rent' }),
      create('t', 'alice', 'bob', 5n),
    ]);
    expect(again.results.map(codeOf)).toEqual([
      'exists',
      'exists_with_different_fields',
      'exists_with_different_fields',
    ]);
    expect(again.results[1]).toMatchObject({ error: { field: 'id', detail: /amount/ } });
    expect(again.results[2]).toMatchObject({ error: { detail: /memo/ } });
    expect(again.created).toEqual([]);
    expect((w.accounts.get('bob') as AccountState).creditsPosted).toBe(5n);
  });

  it('posts part of a pending and releases the rest of the reservation', () => {
    const w = funded(100n);
    run(w, [create('p', 'alice', 'bob', 40n, { kind: 'pending' })]);
    const outcome = run(w, [resolve('post', 'post-p', 'p', { amount: 25n })]);
    expect(outcome.results[0]).toMatchObject({
      status: 'created',
      transfer: { kind: 'post', pendingId: 'p', amount: 25n, debitAccountId: 'alice' },
    });
    expect(balances(w.accounts.get('alice') as AccountState)).toEqual({
      debitsPending: 0n,
      debitsPosted: 25n,
      creditsPending: 0n,
      creditsPosted: 100n,
    });
    expect(balances(w.accounts.get('bob') as AccountState)).toEqual({
      debitsPending: 0n,
      debitsPosted: 0n,
      creditsPending: 0n,
      creditsPosted: 25n,
    });
  });

  it('refuses to post more than the pending amount', () => {
    const w = funded(100n);
    run(w, [create('p', 'alice', 'bob', 40n, { kind: 'pending' })]);
    expect(run(w, [resolve('post', 'x', 'p', { amount: 41n })]).results[0]).toMatchObject({
      status: 'failed',
      error: { code: 'exceeds_pending_amount', field: 'amount' },
    });
    expect(w.pendings.get('p')?.resolution).toBeUndefined();
  });

  it('resolves a pending at most once and names how it ended', () => {
    const w = funded();
    run(w, [
      create('p1', 'alice', 'bob', 1n, { kind: 'pending' }),
      create('p2', 'alice', 'bob', 1n, { kind: 'pending' }),
    ]);
    const outcome = run(w, [
      resolve('post', 'r1', 'p1'),
      resolve('void', 'r2', 'p1'),
      resolve('void', 'r3', 'p2'),
      resolve('post', 'r4', 'p2'),
      resolve('post', 'r5', 'fund'),
      resolve('post', 'r6', 'nothing'),
    ]);
    expect(outcome.results.map(codeOf)).toEqual([
      'created',
      'pending_transfer_already_posted',
      'created',
      'pending_transfer_already_voided',
      'pending_transfer_not_pending',
      'pending_transfer_not_found',
    ]);
    // Sent again with the same id, a resolution is idempotent even after it happened.
    expect(run(w, [resolve('post', 'r1', 'p1')]).results.map(codeOf)).toEqual(['exists']);
    expect(run(w, [resolve('void', 'r1', 'p1')]).results.map(codeOf)).toEqual([
      'exists_with_different_fields',
    ]);
  });

  it('expires only after the timeout; after it, post and void are refused', () => {
    const w = funded();
    run(w, [create('p', 'alice', 'bob', 10n, { kind: 'pending', timeoutSeconds: 5 })]);
    expect(w.transfers.get('p')?.timeoutAt).toEqual(new Date(T0.getTime() + 5000));
    expect(run(w, [resolve('expire', 'e0', 'p')]).results.map(codeOf)).toEqual([
      'pending_transfer_not_expired',
    ]);
    w.now = new Date(T0.getTime() + 5000);
    expect(
      run(w, [resolve('post', 'x', 'p'), resolve('void', 'y', 'p')]).results.map(codeOf),
    ).toEqual(['pending_transfer_expired', 'pending_transfer_expired']);
    expect(run(w, [resolve('expire', 'e1', 'p')]).results.map(codeOf)).toEqual(['created']);
    expect(balances(w.accounts.get('alice') as AccountState)).toMatchObject({
      debitsPending: 0n,
      debitsPosted: 0n,
    });
    expect(
      run(w, [resolve('post', 'x2', 'p'), resolve('expire', 'e2', 'p')]).results.map(codeOf),
    ).toEqual(['pending_transfer_already_expired', 'pending_transfer_already_expired']);
  });

  it('a pending without a timeout never expires', () => {
    const w = funded();
    run(w, [create('p', 'alice', 'bob', 10n, { kind: 'pending' })]);
    w.now = new Date(T0.getTime() + 10 * 365 * 86_400_000);
    expect(run(w, [resolve('expire', 'e', 'p')]).results.map(codeOf)).toEqual([
      'pending_transfer_not_expired',
    ]);
    expect(run(w, [resolve('post', 'x', 'p')]).results.map(codeOf)).toEqual(['created']);
  });

  it('creates and posts a pending in the same batch', () => {
    const w = funded();
    const outcome = run(w, [
      create('p', 'alice', 'bob', 10n, { kind: 'pending' }),
      resolve('post', 'x', 'p', { amount: 4n }),
    ]);
    expect(outcome.results.map(codeOf)).toEqual(['created', 'created']);
    expect(outcome.deltas.get('alice')).toEqual({
      debitsPending: 0n,
      debitsPosted: 4n,
      creditsPending: 0n,
      creditsPosted: 0n,
    });
  });

  it('a linked chain fails as a whole and undoes what its members did', () => {
    const w = funded(10n);
    const before = allBalances(w);
    const outcome = run(w, [
      create('a', 'alice', 'bob', 5n, { linked: true }),
      create('p', 'alice', 'bob', 3n, { kind: 'pending', linked: true }),
      resolve('post', 'x', 'p', { linked: true }),
      create('b', 'alice', 'bob', 5n), // 5 + 3 + 5 > 10: the chain fails here
      create('c', 'alice', 'bob', 1n),
    ]);
    expect(outcome.results.map(codeOf)).toEqual([
      'linked_event_failed',
      'linked_event_failed',
      'linked_event_failed',
      'exceeds_credits',
      'created',
    ]);
    expect(outcome.created.map((t) => t.id)).toEqual(['c']);
    expect(w.transfers.has('a')).toBe(false);
    expect(w.pendings.has('p')).toBe(false);
    const after = allBalances(w);
    expect(after.alice?.debitsPosted).toBe((before.alice?.debitsPosted ?? 0n) + 1n);
    expect(after.alice?.debitsPending).toBe(0n);
  });

  it('after a member fails, the rest of its chain fails without being tried', () => {
    const w = funded(10n);
    const outcome = run(w, [
      create('a', 'alice', 'bob', 50n, { linked: true }),
      create('b', 'alice', 'bob', 1n, { linked: true }),
      create('c', 'alice', 'bob', 1n),
      create('d', 'alice', 'bob', 1n),
    ]);
    expect(outcome.results.map(codeOf)).toEqual([
      'exceeds_credits',
      'linked_event_failed',
      'linked_event_failed',
      'created',
    ]);
  });

  it('a chain still open at the end of the batch fails', () => {
    const w = funded(10n);
    const outcome = run(w, [
      create('a', 'alice', 'bob', 1n),
      create('b', 'alice', 'bob', 1n, { linked: true }),
      create('c', 'alice', 'bob', 1n, { linked: true }),
    ]);
    expect(outcome.results.map(codeOf)).toEqual([
      'created',
      'linked_event_failed',
      'linked_event_chain_open',
    ]);
    expect(outcome.results[2]).toMatchObject({ error: { field: 'linked' } });
    expect(outcome.created.map((t) => t.id)).toEqual(['a']);
  });

  it('undoing a chain releases a pending it resolved', () => {
    const w = funded(10n);
    run(w, [create('p', 'alice', 'bob', 5n, { kind: 'pending' })]);
    const outcome = run(w, [
      resolve('void', 'v', 'p', { linked: true }),
      create('x', 'bob', 'alice', 1n),
    ]);
    expect(outcome.results.map(codeOf)).toEqual(['linked_event_failed', 'exceeds_credits']);
    expect(w.pendings.get('p')?.resolution).toBeUndefined();
    expect((w.accounts.get('alice') as AccountState).debitsPending).toBe(5n);
    expect(run(w, [resolve('post', 'y', 'p')]).results.map(codeOf)).toEqual(['created']);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties over random command sequences
// ---------------------------------------------------------------------------------------------

const USERS = ['u0', 'u1', 'u2', 'u3'] as const;
const ACCOUNT_IDS = ['source', 'issuance', ...USERS] as const;
/** Small id pools, so ids repeat (idempotency, conflicts) and resolutions find their pendings. */
const TRANSFER_IDS = Array.from({ length: 12 }, (_, i) => `c${i}`);
const PENDING_IDS = Array.from({ length: 6 }, (_, i) => `p${i}`);
const RESOLVE_IDS = Array.from({ length: 10 }, (_, i) => `r${i}`);

const userSpec = fc.record({
  limit: fc.constantFrom<Limit>('debits', 'debits', 'credits', 'none'),
  owner: fc.constantFrom('alice', 'alice', 'bob'),
});

const worldArb = fc
  .tuple(
    fc.array(userSpec, { minLength: 4, maxLength: 4 }),
    fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
  )
  .map(([users, asAlice]) => ({ users, asAlice }));

const amountArb = fc.bigInt({ min: 1n, max: 60n });
/** About one command in five is linked to the next. */
const linkedArb = fc.integer({ min: 0, max: 4 }).map((n) => n === 0);
const userOrSource = fc.constantFrom('source', ...USERS);

/** Debit and credit for a kind: mostly sensible, sometimes anything (same account, issuance). */
const accountsFor = (kind: CreateKind): fc.Arbitrary<[string, string]> =>
  fc.oneof(
    {
      weight: 9,
      arbitrary:
        kind === 'mint'
          ? fc.tuple(fc.constant('issuance'), userOrSource)
          : kind === 'burn'
            ? fc.tuple(userOrSource, fc.constant('issuance'))
            : fc.tuple(userOrSource, userOrSource).filter(([d, c]) => d !== c),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom(...ACCOUNT_IDS), fc.constantFrom(...ACCOUNT_IDS)),
    },
  );

const createArb: fc.Arbitrary<TransferCommand> = fc
  .constantFrom<CreateKind>(
    'transfer',
    'transfer',
    'transfer',
    'pending',
    'pending',
    'pending',
    'reward',
    'mint',
    'burn',
  )
  .chain((kind) =>
    fc.record({
      kind: fc.constant(kind),
      id: fc.constantFrom(...(kind === 'pending' ? PENDING_IDS : TRANSFER_IDS)),
      accounts: accountsFor(kind),
      amount: amountArb,
      timeoutSeconds: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
      memo: fc.option(fc.constantFrom('a', 'b'), { nil: undefined, freq: 4 }),
      linked: linkedArb,
    }),
  )
  .map(
    ({
      id,
      kind,
      accounts: [debit, credit],
      amount,
      timeoutSeconds,
      memo,
      linked,
    }): TransferCommand => ({
      type: 'create',
      id,
      kind,
      ledger: 'AIA',
      debitAccountId: debit,
      creditAccountId: credit,
      amount,
      ...(timeoutSeconds ? { timeoutSeconds } : {}),
      ...(memo ? { memo } : {}),
      ...(linked ? { linked } : {}),
    }),
  );

const resolveArb: fc.Arbitrary<TransferCommand> = fc
  .record({
    type: fc.constantFrom<ResolutionKind>('post', 'post', 'void', 'expire'),
    id: fc.oneof(
      { weight: 9, arbitrary: fc.constantFrom(...RESOLVE_IDS) },
      { weight: 1, arbitrary: fc.constantFrom(...TRANSFER_IDS, ...PENDING_IDS) },
    ),
    // `@n`: the n-th pending created so far (chosen when the batch runs), else a fixed id.
    pendingId: fc.oneof(
      { weight: 6, arbitrary: fc.nat({ max: 20 }).map((n) => `@${n}`) },
      { weight: 3, arbitrary: fc.constantFrom(...PENDING_IDS) },
      { weight: 1, arbitrary: fc.constantFrom(...TRANSFER_IDS, 'missing') },
    ),
    amount: fc.option(amountArb, { nil: undefined }),
    linked: linkedArb,
  })
  .map(
    ({ type, id, pendingId, amount, linked }): TransferCommand => ({
      type,
      id,
      pendingId,
      ...(type === 'post' && amount !== undefined ? { amount } : {}),
      ...(linked ? { linked } : {}),
    }),
  );

/** Funding first, so limited accounts have something to move. */
const fundingArb = fc
  .array(fc.tuple(fc.constantFrom(...USERS), fc.bigInt({ min: 1n, max: 200n })), {
    maxLength: 6,
  })
  .map((entries) =>
    entries.map(
      ([to, amount], index): TransferCommand => ({
        type: 'create',
        id: `fund${index}`,
        kind: 'transfer',
        ledger: 'AIA',
        debitAccountId: 'source',
        creditAccountId: to,
        amount,
      }),
    ),
  );

const batchArb = fc.array(fc.oneof({ weight: 2, arbitrary: createArb }, resolveArb), {
  minLength: 1,
  maxLength: 10,
});

const scenarioArb = fc.record({
  world: worldArb,
  funding: fundingArb,
  /** Per batch: seconds the clock moves first, the commands, and earlier commands sent again. */
  batches: fc.array(
    fc.tuple(
      fc.integer({ min: 0, max: 3 }),
      batchArb,
      fc.array(fc.nat({ max: 50 }), { maxLength: 2 }),
    ),
    { minLength: 1, maxLength: 6 },
  ),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer S> ? S : never;

function worldOf(scenario: Scenario): World {
  const specs: Record<string, AccountSpec> = {
    source: { kind: 'operating', owner: 'alice', limit: 'none' },
    issuance: { kind: 'issuance', owner: 'system', limit: 'none' },
  };
  scenario.world.users.forEach((user, index) => {
    specs[`u${index}`] = { kind: 'user', ...user };
  });
  return world(
    specs,
    scenario.world.asAlice ? (a: AccountState) => a.owner === 'alice' : () => true,
  );
}

const sum = (w: World, field: keyof Balances) =>
  [...w.accounts.values()].reduce((total, a) => total + a[field], 0n);

/**
 * Runs the scenario, calling `check` after each batch. Resolutions naming `@n` get the n-th
 * pending created so far; repeats re-send earlier commands (unlinked) at the end of the batch.
 */
function play(
  scenario: Scenario,
  check: (step: {
    before: World;
    after: World;
    commands: readonly TransferCommand[];
    outcome: BatchOutcome;
    history: readonly TransferRecord[];
  }) => void,
): World {
  const w = worldOf(scenario);
  const history: TransferRecord[] = [];
  const sent: TransferCommand[] = [];
  const steps: [number, readonly TransferCommand[], readonly number[]][] = [
    [0, scenario.funding, []],
    ...scenario.batches,
  ];
  for (const [seconds, generated, repeats] of steps) {
    w.now = new Date(w.now.getTime() + seconds * 1000);
    const pendings = history.filter((t) => t.kind === 'pending').map((t) => t.id);
    const commands = [
      ...generated.map((command): TransferCommand => {
        if (command.type === 'create' || !command.pendingId.startsWith('@')) return command;
        const n = Number(command.pendingId.slice(1));
        return { ...command, pendingId: pendings[n % Math.max(pendings.length, 1)] ?? 'p0' };
      }),
      ...repeats.flatMap((n) => {
        const earlier = sent[n % Math.max(sent.length, 1)];
        return earlier ? [{ ...earlier, linked: false }] : [];
      }),
    ];
    sent.push(...commands);
    const before = clone(w);
    const outcome = run(w, commands);
    history.push(...outcome.created);
    check({ before, after: w, commands, outcome, history });
  }
  return w;
}

const RUNS = { numRuns: 300 };

describe('applyBatch: properties over random batches', () => {
  it('returns one result per command, and `created` lists exactly the created ones in order', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        play(scenario, ({ commands, outcome }) => {
          expect(outcome.results).toHaveLength(commands.length);
          expect(outcome.created).toEqual(
            outcome.results.flatMap((r) => (r.status === 'created' ? [r.transfer] : [])),
          );
          outcome.results.forEach((result, index) => {
            if (result.status !== 'failed') expect(result.transfer.id).toBe(commands[index]?.id);
          });
        });
      }),
      RUNS,
    );
  });

  it('keeps debits equal to credits, posted and pending, and no balance negative', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        play(scenario, ({ after }) => {
          expect(sum(after, 'debitsPosted')).toBe(sum(after, 'creditsPosted'));
          expect(sum(after, 'debitsPending')).toBe(sum(after, 'creditsPending'));
          for (const a of after.accounts.values())
            for (const value of Object.values(balances(a))) expect(value >= 0n).toBe(true);
        });
      }),
      RUNS,
    );
  });

  it('never lets a limited account exceed its limit', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        play(scenario, ({ after }) => {
          for (const a of after.accounts.values()) {
            if (a.debitsMustNotExceedCredits)
              expect(a.debitsPending + a.debitsPosted <= a.creditsPosted).toBe(true);
            if (a.creditsMustNotExceedDebits)
              expect(a.creditsPending + a.creditsPosted <= a.debitsPosted).toBe(true);
          }
        });
      }),
      RUNS,
    );
  });

  it('balances equal a recomputation from the created transfers; deltas match the change', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        play(scenario, ({ before, after, outcome, history }) => {
          expect(allBalances(after)).toEqual(recompute([...after.accounts.keys()], history));
          for (const [id, a] of after.accounts) {
            const was = before.accounts.get(id) as AccountState;
            const delta = outcome.deltas.get(id);
            const expected = {
              debitsPending: a.debitsPending - was.debitsPending,
              debitsPosted: a.debitsPosted - was.debitsPosted,
              creditsPending: a.creditsPending - was.creditsPending,
              creditsPosted: a.creditsPosted - was.creditsPosted,
            };
            if (Object.values(expected).every((v) => v === 0n)) expect(delta).toBeUndefined();
            else expect(delta).toEqual(expected);
          }
        });
      }),
      RUNS,
    );
  });

  it('a linked chain is all or nothing: every member created/exists, or every member failed', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        play(scenario, ({ commands, outcome }) => {
          for (const [start, end] of chainsOf(commands)) {
            if (start === end && !commands[start]?.linked) continue;
            const members = outcome.results.slice(start, end + 1);
            const failed = members.filter((r) => r.status === 'failed');
            expect([0, members.length]).toContain(failed.length);
            if (failed.length > 0) {
              // Exactly one member says why; the others say the chain failed.
              const causes = members.filter(
                (r) => r.status === 'failed' && r.error.code !== 'linked_event_failed',
              );
              expect(causes).toHaveLength(1);
            }
          }
        });
      }),
      RUNS,
    );
  });

  it('a failed command or chain changes nothing: the batch without it ends the same', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        play(scenario, ({ before, after, commands, outcome }) => {
          const kept = chainsOf(commands).flatMap(([start, end]) =>
            outcome.results.slice(start, end + 1).some((r) => r.status === 'failed')
              ? []
              : commands.slice(start, end + 1),
          );
          const without = clone(before);
          const replay = run(without, kept);
          expect(replay.results.every((r) => r.status !== 'failed')).toBe(true);
          expect(replay.created).toEqual(outcome.created);
          expect(allBalances(without)).toEqual(allBalances(after));
          expect([...without.transfers.keys()].sort()).toEqual([...after.transfers.keys()].sort());
          expect([...without.pendings].map(([id, p]) => [id, p.resolution]).sort()).toEqual(
            [...after.pendings].map(([id, p]) => [id, p.resolution]).sort(),
          );
        });
      }),
      RUNS,
    );
  });

  it('resolves each pending at most once, only while it may, and never beyond its amount', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        play(scenario, ({ after, history }) => {
          const resolutions = history.filter((t) => t.pendingId);
          const perPending = new Map<string, number>();
          for (const r of resolutions) {
            perPending.set(r.pendingId as string, (perPending.get(r.pendingId as string) ?? 0) + 1);
            const pending = history.find((t) => t.id === r.pendingId);
            expect(pending?.kind).toBe('pending');
            if (!pending) continue;
            expect(r.amount <= pending.amount).toBe(true);
            expect([r.debitAccountId, r.creditAccountId]).toEqual([
              pending.debitAccountId,
              pending.creditAccountId,
            ]);
            expect(after.pendings.get(pending.id)?.resolution).toBe(r.kind);
          }
          for (const count of perPending.values()) expect(count).toBe(1);
        });
      }),
      RUNS,
    );
  });

  it('an expiry happens only at or after the timeout; a post or void only before it', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        play(scenario, ({ after, outcome }) => {
          for (const t of outcome.created) {
            if (!t.pendingId) continue;
            const timeoutAt = after.transfers.get(t.pendingId)?.timeoutAt;
            if (t.kind === 'expire') expect(timeoutAt && timeoutAt <= after.now).toBe(true);
            else expect(timeoutAt === undefined || timeoutAt > after.now).toBe(true);
          }
        });
      }),
      RUNS,
    );
  });

  it('ids are unique across the history, and a repeated id is never created twice', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        play(scenario, ({ history }) => {
          expect(new Set(history.map((t) => t.id)).size).toBe(history.length);
        });
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Amounts
// ---------------------------------------------------------------------------------------------

describe('amounts', () => {
  const scaleArb = fc.integer({ min: 0, max: 18 });

  it('format then parse gives back every amount the database can hold, at every scale', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: MAX_MINOR_UNITS }), scaleArb, (minor, scale) => {
        const text = formatAmount(minor, scale);
        expect(text).toMatch(/^(0|[1-9]\d*)(\.\d*[1-9])?$/);
        expect(parseAmount(text, scale)).toBe(minor);
      }),
      { numRuns: 2000 },
    );
  });

  it('parse then format gives the canonical form of any valid decimal string', () => {
    fc.assert(
      fc.property(
        scaleArb.chain((scale) =>
          fc.tuple(
            fc.constant(scale),
            fc.stringMatching(/^\d{1,20}$/),
            fc.stringMatching(new RegExp(`^\\d{0,${scale}}$`)),
          ),
        ),
        ([scale, whole, fraction]) => {
          const text = fraction ? `${whole}.${fraction}` : whole;
          const minor = BigInt(whole) * 10n ** BigInt(scale) + BigInt(fraction.padEnd(scale, '0'));
          fc.pre(minor > 0n && minor <= MAX_MINOR_UNITS);
          const parsed = parseAmount(text, scale);
          expect(parsed).toBe(minor);
          expect(parseAmount(formatAmount(parsed, scale), scale)).toBe(parsed);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('formats negative amounts with a sign (deltas)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: MAX_MINOR_UNITS }), scaleArb, (minor, scale) => {
        expect(formatAmount(-minor, scale)).toBe(`-${formatAmount(minor, scale)}`);
      }),
    );
    expect(formatAmount(0n, 18)).toBe('0');
    expect(formatAmount(12_500_000n, 6)).toBe('12.5');
    expect(formatAmount(5n, 0)).toBe('5');
  });

  it('refuses more fractional digits than the scale allows', () => {
    fc.assert(
      fc.property(
        scaleArb,
        fc.integer({ min: 1, max: 5 }),
        fc.stringMatching(/^\d{1,10}$/),
        (scale, extra, whole) => {
          const fraction = `${'0'.repeat(scale + extra - 1)}1`;
          expect(() => parseAmount(`${whole}.${fraction}`, scale)).toThrow(AmountError);
          expect(() => parseAmount(`${whole}.${fraction}`, scale)).toThrow(/decimal places/);
        },
      ),
    );
  });

  it('refuses zero, signs, exponents, blanks and amounts beyond numeric(38,0)', () => {
    for (const text of ['0', '0.0', '000', '-1', '+1', '1e3', '1.', '.5', ' 1', '1 ', '', '0x10'])
      expect(() => parseAmount(text, 18), text).toThrow(AmountError);
    expect(parseAmount(MAX_MINOR_UNITS.toString(), 0)).toBe(MAX_MINOR_UNITS);
    expect(() => parseAmount((MAX_MINOR_UNITS + 1n).toString(), 0)).toThrow(/larger/);
    expect(() => parseAmount('100000000000000000000', 18)).toThrow(/larger/);
    expect(parseAmount('1', 18)).toBe(10n ** 18n);
    expect(parseAmount('0.000000000000000001', 18)).toBe(1n);
  });
});
