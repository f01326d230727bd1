import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  accountOf,
  asAdmin,
  type Call,
  expectProblem,
  expectRefusedUnchanged,
  minorUnits,
  openFunded,
  transferBody,
} from '../testing/api-fixtures.js';
import { ledgerApp } from '../testing/ledger-app.js';
import { openUserAccounts, useLedgerDatabase } from '../testing/ledger-database.js';

const LOCK_SECONDS = 3600;
const db = useLedgerDatabase('staking_routes');
/** Stakes locked for an hour. */
let locked: Call;
/** Stakes that unlock at once. */
let unlocked: Call;
let staking: string;

beforeAll(async () => {
  locked = ledgerApp(db.sql, { stakingLockSeconds: LOCK_SECONDS }).call;
  unlocked = ledgerApp(db.sql, { stakingLockSeconds: 0 }).call;
  const reply = await locked('GET', '/ledgers');
  expect(reply.status).toBe(200);
  const aia = reply.body.ledgers.find((ledger: { code: string }) => ledger.code === 'AIA');
  staking = aia.system_accounts.staking;
});

const stake = (call: Call, body: Record<string, unknown>, as = 'alice') =>
  call('POST', '/stakes', { as, body });
const unstake = (call: Call, id: string, as = 'alice') =>
  call('POST', `/stakes/${id}/unstake`, { as });

describe('POST /v1/stakes', () => {
  it('moves AIA from the account to the staking system account until the lock ends', async () => {
    const [account] = (await openFunded(db.sql, locked, { amount: '100' })) as [string];
    const stakingBefore = await accountOf(locked, staking);
    const startedAt = Date.now();
    const reply = await stake(locked, { account_id: account, amount: '40.25' });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body.stake).toMatchObject({
      account_id: account,
      amount: '40.25',
      released: false,
    });
    expect(reply.body.transfer).toMatchObject({
      kind: 'stake',
      ledger: 'AIA',
      debit_account_id: account,
      credit_account_id: staking,
      amount: '40.25',
    });
    const unlocksAt = Date.parse(reply.body.stake.unlocks_at);
    expect(unlocksAt - startedAt).toBeGreaterThan((LOCK_SECONDS - 60) * 1000);
    expect(unlocksAt - startedAt).toBeLessThan((LOCK_SECONDS + 60) * 1000);
    expect(await accountOf(locked, account)).toMatchObject({ balance: '59.75' });
    const stakingAfter = await accountOf(locked, staking);
    expect(minorUnits(stakingAfter.balance) - minorUnits(stakingBefore.balance)).toBe(
      minorUnits('40.25'),
    );
    const listed = await locked('GET', `/accounts/${account}/stakes`);
    expect(listed.body.stakes).toEqual([reply.body.stake]);
  });

  it('staking more than is available → 409 exceeds_credits, nothing changes', async () => {
    const [account] = (await openFunded(db.sql, locked, { amount: '100' })) as [string];
    const [shop] = (await openUserAccounts(db.sql, 1, 'shop')) as [string];
    // A reservation lowers what may be staked.
    const pending = await locked('POST', '/transfers', {
      body: transferBody(account, shop, '50', { pending: {} }),
    });
    expect(pending.status).toBe(201);
    await expectRefusedUnchanged(
      db.sql,
      () => stake(locked, { account_id: account, amount: '60' }),
      {
        status: 409,
        code: 'exceeds_credits',
        field: 'amount',
        reason: /has 50 available/,
      },
    );
  });

  it("staking from someone else's account → 403", async () => {
    const [account] = (await openFunded(db.sql, locked, { owner: 'bob' })) as [string];
    await expectRefusedUnchanged(
      db.sql,
      () => stake(locked, { account_id: account, amount: '1' }),
      {
        status: 403,
        code: 'not_account_owner',
        field: 'debit_account_id',
      },
    );
  });

  it('staking from an AIA_GOV account → 422 ledger_mismatch', async () => {
    const [account] = (await openFunded(db.sql, locked, { ledger: 'AIA_GOV' })) as [string];
    await expectRefusedUnchanged(
      db.sql,
      () => stake(locked, { account_id: account, amount: '1' }),
      {
        status: 422,
        code: 'ledger_mismatch',
      },
    );
  });

  it('a bad amount → 422 naming amount', async () => {
    const [account] = (await openFunded(db.sql, locked)) as [string];
    await expectRefusedUnchanged(
      db.sql,
      () => stake(locked, { account_id: account, amount: '0' }),
      {
        status: 422,
        code: 'validation_failed',
        field: 'amount',
      },
    );
  });

  it('the same stake id again → 200 with the same stake; with another amount → 409', async () => {
    const [account] = (await openFunded(db.sql, locked)) as [string];
    const id = randomUUID();
    const first = await stake(locked, { id, account_id: account, amount: '5' });
    expect(first.status).toBe(201);
    const again = await stake(locked, { id, account_id: account, amount: '5' });
    expect(again.status).toBe(200);
    expect(again.body.stake).toEqual(first.body.stake);
    expect(await accountOf(locked, account)).toMatchObject({ balance: '95' });
    await expectRefusedUnchanged(
      db.sql,
      () => stake(locked, { id, account_id: account, amount: '6' }),
      {
        status: 409,
        code: 'conflict',
        field: 'id',
      },
    );
  });
});

describe('the staking account', () => {
  it('moves only by stake and unstake: a plain transfer to or from it → 422, even for an admin', async () => {
    const [account] = (await openFunded(db.sql, locked)) as [string];
    await expectRefusedUnchanged(
      db.sql,
      () => locked('POST', '/transfers', { body: transferBody(account, staking, '1') }),
      { status: 422, code: 'staking_account_reserved', field: 'credit_account_id' },
    );
    await expectRefusedUnchanged(
      db.sql,
      () => asAdmin(locked, 'POST', '/transfers', { body: transferBody(staking, account, '1') }),
      { status: 422, code: 'staking_account_reserved', field: 'debit_account_id' },
    );
  });
});

describe('POST /v1/stakes/{id}/unstake', () => {
  it('before the stake unlocks → 409 naming the unlock time, nothing changes', async () => {
    const [account] = (await openFunded(db.sql, locked)) as [string];
    const staked = await stake(locked, { account_id: account, amount: '10' });
    const { id, unlocks_at: unlocksAt } = staked.body.stake;
    const reply = await expectRefusedUnchanged(db.sql, () => unstake(locked, id), {
      status: 409,
      code: 'conflict',
      field: 'id',
      reason: `locked until ${unlocksAt}`,
    });
    expect(reply.body.detail).toContain(unlocksAt);
  });

  it('with no lock, returns the amount to the account, once', async () => {
    const [account] = (await openFunded(db.sql, unlocked, { amount: '100' })) as [string];
    const stakingBefore = await accountOf(unlocked, staking);
    const staked = await stake(unlocked, { account_id: account, amount: '33.3' });
    expect(staked.status).toBe(201);
    expect(await accountOf(unlocked, account)).toMatchObject({ balance: '66.7' });

    const reply = await unstake(unlocked, staked.body.stake.id);
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body.transfer).toMatchObject({
      kind: 'unstake',
      debit_account_id: staking,
      credit_account_id: account,
      amount: '33.3',
    });
    expect(reply.body.stake).toMatchObject({
      released: true,
      release_transfer_id: reply.body.transfer.id,
    });
    expect(await accountOf(unlocked, account)).toMatchObject({ balance: '100' });
    expect((await accountOf(unlocked, staking)).balance).toBe(stakingBefore.balance);

    await expectRefusedUnchanged(db.sql, () => unstake(unlocked, staked.body.stake.id), {
      status: 409,
      code: 'conflict',
      field: 'id',
      reason: /already unstaked/,
    });
    const listed = await unlocked('GET', `/accounts/${account}/stakes`);
    expect(listed.body.stakes).toMatchObject([{ id: staked.body.stake.id, released: true }]);
  });

  it('with ledger AIA_GOV, stakes into the AIA_GOV staking account and unstakes back', async () => {
    const ledgers = await unlocked('GET', '/ledgers');
    const govStaking = ledgers.body.ledgers.find(
      (ledger: { code: string }) => ledger.code === 'AIA_GOV',
    ).system_accounts.staking;
    const [account] = (await openFunded(db.sql, unlocked, { ledger: 'AIA_GOV', amount: '80' })) as [
      string,
    ];
    const staked = await stake(unlocked, { account_id: account, ledger: 'AIA_GOV', amount: '50' });
    expect(staked.status, JSON.stringify(staked.body)).toBe(201);
    expect(staked.body.stake).toMatchObject({ ledger: 'AIA_GOV', amount: '50' });
    expect(staked.body.transfer).toMatchObject({
      ledger: 'AIA_GOV',
      credit_account_id: govStaking,
    });
    const reply = await unstake(unlocked, staked.body.stake.id);
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body.transfer).toMatchObject({
      ledger: 'AIA_GOV',
      debit_account_id: govStaking,
      credit_account_id: account,
    });
    expect(await accountOf(unlocked, account)).toMatchObject({ balance: '80' });
  });

  it("unstaking someone else's stake → 403, nothing changes", async () => {
    const [account] = (await openFunded(db.sql, unlocked)) as [string];
    const staked = await stake(unlocked, { account_id: account, amount: '1' });
    await expectRefusedUnchanged(db.sql, () => unstake(unlocked, staked.body.stake.id, 'mallory'), {
      status: 403,
      code: 'forbidden',
    });
  });

  it('an unknown stake → 404', async () => {
    expectProblem(await unstake(unlocked, randomUUID()), 404, 'not_found');
  });
});
