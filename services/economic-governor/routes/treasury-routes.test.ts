import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatAmount } from '../domain/amounts.js';
import {
  accountOf,
  asAdmin,
  type Call,
  expectProblem,
  expectRefusedUnchanged,
  minorUnits,
  TREASURER,
  transferBody,
  transferCount,
} from '../testing/api-fixtures.js';
import { ledgerApp } from '../testing/ledger-app.js';
import { openUserAccounts, treasuryOf, useLedgerDatabase } from '../testing/ledger-database.js';

const db = useLedgerDatabase('treasury_routes');
let call: Call;
beforeAll(() => {
  ({ call } = ledgerApp(db.sql));
});

const ledger = async (code: 'AIA' | 'AIA_GOV') => {
  const reply = await call('GET', `/ledgers/${code}`);
  expect(reply.status).toBe(200);
  return reply.body.ledger as {
    supply: string;
    balanced: boolean;
    system_accounts: Record<string, string>;
  };
};
const supplyChange = (kind: 'mint' | 'burn', body: Record<string, unknown>) =>
  asAdmin(call, 'POST', `/treasury/${kind}`, { body: { ledger: 'AIA', memo: 'policy', ...body } });

describe('POST /v1/treasury/mint and /burn', () => {
  it.each(['mint', 'burn'])('%s needs treasury:admin: 403 with ledger:write', async (kind) => {
    await expectRefusedUnchanged(
      db.sql,
      () =>
        call('POST', `/treasury/${kind}`, {
          body: { ledger: 'AIA', amount: '1', memo: 'policy' },
        }),
      { status: 403, code: 'forbidden', reason: /treasury:admin/ },
    );
  });

  it('a mint raises the supply by exactly the amount, keeps the books balanced, and is audited', async () => {
    const before = await ledger('AIA');
    const treasuryBefore = await accountOf(call, treasuryOf('AIA'));
    const reply = await supplyChange('mint', { amount: '12.000000000000000345', memo: 'grant' });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body.transfer).toMatchObject({
      kind: 'mint',
      amount: '12.000000000000000345',
      credit_account_id: treasuryOf('AIA'),
      memo: 'grant',
    });
    const after = await ledger('AIA');
    expect(minorUnits(after.supply) - minorUnits(before.supply)).toBe(
      minorUnits('12.000000000000000345'),
    );
    expect(after.balanced).toBe(true);
    const treasuryAfter = await accountOf(call, treasuryOf('AIA'));
    expect(minorUnits(treasuryAfter.balance) - minorUnits(treasuryBefore.balance)).toBe(
      minorUnits('12.000000000000000345'),
    );
    expect((await ledger('AIA_GOV')).supply).toBe('100000000');

    const audit = await asAdmin(call, 'GET', '/audit?limit=1');
    expect(audit.status).toBe(200);
    expect(audit.body.entries[0]).toMatchObject({
      action: 'treasury.mint',
      actor: TREASURER,
      ledger: 'AIA',
    });
  });

  it('a burn lowers the supply by exactly the amount, keeps the books balanced, and is audited', async () => {
    const before = await ledger('AIA_GOV');
    const reply = await supplyChange('burn', { ledger: 'AIA_GOV', amount: '0.5' });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body.transfer).toMatchObject({
      kind: 'burn',
      debit_account_id: treasuryOf('AIA_GOV'),
    });
    const after = await ledger('AIA_GOV');
    expect(minorUnits(before.supply) - minorUnits(after.supply)).toBe(minorUnits('0.5'));
    expect(after).toMatchObject({ supply: '99999999.5', balanced: true });
    const audit = await asAdmin(call, 'GET', '/audit?limit=1');
    expect(audit.body.entries[0]).toMatchObject({
      action: 'treasury.burn',
      actor: TREASURER,
      ledger: 'AIA_GOV',
    });
  });

  it('burning more than the treasury holds → 409 exceeds_credits, nothing changes', async () => {
    await expectRefusedUnchanged(db.sql, () => supplyChange('burn', { amount: '2000000000' }), {
      status: 409,
      code: 'exceeds_credits',
      field: 'amount',
    });
  });

  it('a supply change must say why: a memo of at least 3 characters', async () => {
    await expectRefusedUnchanged(db.sql, () => supplyChange('mint', { amount: '1', memo: 'x' }), {
      status: 422,
      code: 'validation_failed',
      field: 'memo',
      reason: /at least 3/,
    });
  });

  it('the audit log needs treasury:admin', async () => {
    expectProblem(await call('GET', '/audit'), 403, 'forbidden');
  });
});

describe('POST /v1/rewards/distributions', () => {
  let pool: string;
  let accounts: string[];
  const distribute = (body: Record<string, unknown>) =>
    asAdmin(call, 'POST', '/rewards/distributions', { body });
  const creditsOf = async (ids: string[]) => {
    const rows = await db.sql<{ id: string; credits_posted: string }[]>`
      select id, credits_posted::text from accounts where id = any(${ids}::uuid[])`;
    return new Map(rows.map((row) => [row.id, BigInt(row.credits_posted)]));
  };
  beforeAll(async () => {
    pool = (await ledger('AIA')).system_accounts.reward_pool as string;
    const funded = await asAdmin(call, 'POST', '/transfers', {
      body: transferBody(treasuryOf('AIA'), pool, '10000'),
    });
    expect(funded.status).toBe(201);
    accounts = await openUserAccounts(db.sql, 100, 'member');
  });

  const rewards = () =>
    accounts.map((account, index) => ({ account_id: account, amount: `${index + 1}.25` }));
  const total = (101n * 50n + 25n) * 10n ** 18n; // 1 + … + 100, plus 100 × 0.25
  const distributionId = randomUUID();

  it('pays 100 accounts in one request and debits the pool by the total', async () => {
    const poolBefore = minorUnits((await accountOf(call, pool)).balance);
    const reply = await distribute({ id: distributionId, rewards: rewards() });
    expect(reply.status, JSON.stringify(reply.body).slice(0, 500)).toBe(201);
    expect(reply.body.distribution).toMatchObject({
      id: distributionId,
      ledger: 'AIA',
      rewards: 100,
      total: formatAmount(total, 18),
    });
    expect(new Set(reply.body.distribution.transfer_ids).size).toBe(100);
    const credits = await creditsOf(accounts);
    accounts.forEach((account, index) => {
      expect(credits.get(account)).toBe(minorUnits(`${index + 1}.25`));
    });
    expect(minorUnits((await accountOf(call, pool)).balance)).toBe(poolBefore - total);
    expect((await ledger('AIA')).balanced).toBe(true);
  });

  it('the same distribution id again → 200, nobody is paid twice', async () => {
    const [poolBefore, creditsBefore, countBefore] = [
      await accountOf(call, pool),
      await creditsOf(accounts),
      await transferCount(db.sql, pool),
    ];
    const reply = await distribute({ id: distributionId, rewards: rewards() });
    expect(reply.status).toBe(200);
    expect(reply.body.distribution).toMatchObject({ id: distributionId, rewards: 100 });
    expect(await accountOf(call, pool)).toEqual(poolBefore);
    expect(await creditsOf(accounts)).toEqual(creditsBefore);
    expect(await transferCount(db.sql, pool)).toBe(countBefore);
  });

  it('a distribution exceeding the pool → 409 naming the reward, nobody is paid', async () => {
    const pooled = (await accountOf(call, pool)).balance;
    const reply = await expectRefusedUnchanged(
      db.sql,
      () =>
        distribute({
          rewards: [
            { account_id: accounts[0], amount: '1' },
            { account_id: accounts[1], amount: pooled },
            { account_id: accounts[2], amount: '1' },
          ],
        }),
      { status: 409, code: 'exceeds_credits', field: 'rewards.1.amount' },
    );
    expect(reply.body.detail).toMatch(/no reward was paid/);
  });

  it('a reward to an unknown account → 422 naming it, nobody is paid', async () => {
    await expectRefusedUnchanged(
      db.sql,
      () =>
        distribute({
          rewards: [
            { account_id: accounts[0], amount: '1' },
            { account_id: randomUUID(), amount: '1' },
          ],
        }),
      { status: 422, code: 'account_not_found', field: 'rewards.1.account_id' },
    );
  });

  it.each(['ledger:read ledger:write', 'ledger:read treasury:admin'])(
    'needs rewards:distribute: 403 for a caller with %s, nobody is paid',
    async (scope) => {
      await expectRefusedUnchanged(
        db.sql,
        () =>
          call('POST', '/rewards/distributions', {
            scope,
            body: { rewards: [{ account_id: accounts[0], amount: '1' }] },
          }),
        { status: 403, code: 'forbidden', reason: /rewards:distribute/ },
      );
    },
  );

  it('rewards:distribute pays a distribution and nothing more: minting stays refused', async () => {
    const scope = 'rewards:distribute';
    const paid = await call('POST', '/rewards/distributions', {
      as: TREASURER,
      scope,
      body: { ledger: 'AIA', rewards: [{ account_id: accounts[0], amount: '1' }] },
    });
    expect(paid.status).toBe(201);
    expectProblem(
      await call('POST', '/treasury/mint', {
        as: TREASURER,
        scope,
        body: { ledger: 'AIA', amount: '1', memo: 'not mine to mint' },
      }),
      403,
      'forbidden',
    );
  });
});
