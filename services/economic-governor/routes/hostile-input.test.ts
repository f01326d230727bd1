import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { testToken } from '../../../test/harness/jwt.js';
import { MAX_SUBJECT_LENGTH } from '../../platform/auth.js';
import { MAX_OWNER_LENGTH } from '../domain/ledgers.js';
import {
  type Call,
  expectProblem,
  expectRefusedUnchanged,
  openFunded,
  transferBody,
  transferCount,
} from '../testing/api-fixtures.js';
import { ADMIN_SCOPES, ledgerApp } from '../testing/ledger-app.js';
import { openUserAccounts, treasuryOf, useLedgerDatabase } from '../testing/ledger-database.js';

const db = useLedgerDatabase('hostile_input');
let call: Call;
let app: ReturnType<typeof ledgerApp>;
beforeAll(() => {
  app = ledgerApp(db.sql);
  ({ call } = app);
});

describe('inputs written to be awkward', () => {
  it('ids in upper case name the same transfer: a resend is 200, not a second transfer or a 500', async () => {
    const [payer] = (await openFunded(db.sql, call, { amount: '10' })) as [string];
    const [payee] = (await openUserAccounts(db.sql, 1, 'bob')) as [string];
    const id = randomUUID().toUpperCase();
    const body = transferBody(payer.toUpperCase(), payee.toUpperCase(), '1', { id });
    const first = await call('POST', '/transfers', { body });
    expect(first.status).toBe(201);
    expect(first.body.transfer).toMatchObject({ id: id.toLowerCase(), debit_account_id: payer });
    const again = await call('POST', '/transfers', { body });
    expect(again.status).toBe(200);
    expect(await transferCount(db.sql, payer)).toBe(2);
    expect((await call('GET', `/transfers/${id}`)).status).toBe(200);
  });

  it('a new account with an upper-case id is opened (201) and audited', async () => {
    const id = randomUUID().toUpperCase();
    const opened = await call('POST', '/accounts', { body: { ledger: 'AIA', id } });
    expect(opened.status).toBe(201);
    const [audit] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from audit_log
       where action = 'account.open' and details->>'account_id' = ${id.toLowerCase()}`;
    expect(audit?.n).toBe(1);
  });

  it('a NUL character in a memo → 422 naming memo, nothing changed', async () => {
    const [payer] = (await openFunded(db.sql, call, { amount: '10' })) as [string];
    await expectRefusedUnchanged(
      db.sql,
      () =>
        call('POST', '/transfers', {
          body: transferBody(payer, treasuryOf('AIA'), '1', { memo: 'a\u0000b' }),
        }),
      { status: 422, code: 'validation_failed', field: 'memo' },
    );
  });

  it('a cursor beyond the largest sequence number → 422 naming cursor', async () => {
    const [account] = (await openUserAccounts(db.sql, 1)) as [string];
    const reply = await call('GET', `/accounts/${account}/transfers?cursor=9999999999999999999`);
    expectProblem(reply, 422, 'validation_failed', 'cursor');
  });

  it("a token whose subject is 'system' may not debit the system's accounts", async () => {
    const [target] = (await openUserAccounts(db.sql, 1, 'system-impostor')) as [string];
    await expectRefusedUnchanged(
      db.sql,
      () =>
        call('POST', '/transfers', {
          as: 'system',
          body: transferBody(treasuryOf('AIA'), target, '1000000'),
        }),
      { status: 403, code: 'not_account_owner', field: 'debit_account_id' },
    );
  });

  it('a token whose subject holds a control character → 401', async () => {
    const token = await testToken({ subject: 'eve\u0000', scope: 'ledger:read' });
    const reply = await app.app.request('/v1/ledgers', {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(reply.status).toBe(401);
  });
});

describe('values the database would refuse are refused first, naming the field', () => {
  const openPending = async (amount: string) => {
    const [payer] = (await openFunded(db.sql, call, { amount: '10' })) as [string];
    const [payee] = (await openUserAccounts(db.sql, 1, 'bob')) as [string];
    const reply = await call('POST', '/transfers', {
      body: transferBody(payer, payee, amount, { pending: {} }),
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    return reply.body.transfer.id as string;
  };

  it.each([
    ['an empty', ''],
    ['a blank', ' '],
    ['a signed', '-1'],
    ['an exponent', '1e3'],
    ['a null', null],
  ])('%s amount on a post settles nothing (422 naming amount)', async (_, amount) => {
    const pending = await openPending('3');
    await expectRefusedUnchanged(
      db.sql,
      () => call('POST', `/transfers/${pending}/post`, { body: { amount } }),
      { status: 422, code: 'validation_failed', field: 'amount' },
    );
    expect((await call('GET', `/transfers/${pending}`)).body.transfer.status).toBe('pending');
  });

  it('an empty amount in a batch post is refused, and the reservation stays pending', async () => {
    const pending = await openPending('3');
    await expectRefusedUnchanged(
      db.sql,
      () =>
        call('POST', '/transfers/batch', {
          body: { transfers: [{ type: 'post', pending_id: pending, amount: '' }] },
        }),
      { status: 422, code: 'validation_failed', field: 'transfers.0.amount' },
    );
  });

  it('a post without an amount still settles all of it', async () => {
    const pending = await openPending('3');
    const reply = await call('POST', `/transfers/${pending}/post`, { body: {} });
    expect(reply.status).toBe(201);
    expect(reply.body.transfer.amount).toBe('3');
  });

  it('an empty memo is refused rather than stored as no memo', async () => {
    const [payer] = (await openFunded(db.sql, call, { amount: '10' })) as [string];
    await expectRefusedUnchanged(
      db.sql,
      () =>
        call('POST', '/transfers', {
          body: transferBody(payer, treasuryOf('AIA'), '1', { memo: '' }),
        }),
      { status: 422, code: 'validation_failed', field: 'memo', reason: /must not be empty/ },
    );
  });

  it('a mint beyond what an account can hold → 422 overflows_debits, not a numeric overflow 500', async () => {
    await expectRefusedUnchanged(
      db.sql,
      () =>
        call('POST', '/treasury/mint', {
          as: 'treasurer',
          scope: ADMIN_SCOPES,
          body: { ledger: 'AIA', amount: '99999999999999999999', memo: 'too much' },
        }),
      { status: 422, code: 'overflows_debits', field: 'amount' },
    );
  });

  it('an amount with more than 20 whole digits is malformed (422 naming amount)', async () => {
    const [payer] = (await openFunded(db.sql, call, { amount: '10' })) as [string];
    await expectRefusedUnchanged(
      db.sql,
      () =>
        call('POST', '/transfers', {
          body: transferBody(payer, treasuryOf('AIA'), '1'.repeat(21)),
        }),
      { status: 422, code: 'validation_failed', field: 'amount' },
    );
  });

  it.each([
    ['owner', { ledger: 'AIA', owner: 'x\ud800y' }],
    ['memo', { ledger: 'AIA', memo: 'x\udc00' }],
  ])('an unpaired surrogate in %s → 422 naming it, nothing stored', async (field, body) => {
    await expectRefusedUnchanged(
      db.sql,
      () => call('POST', '/accounts', { as: 'treasurer', scope: ADMIN_SCOPES, body }),
      { status: 422, code: 'validation_failed', field, reason: /unpaired UTF-16 surrogate/ },
    );
  });

  it('a paired surrogate (an emoji) is stored and returned exactly', async () => {
    const opened = await call('POST', '/accounts', { body: { ledger: 'AIA', memo: 'rocket 🚀' } });
    expect(opened.status).toBe(201);
    expect(opened.body.account.memo).toBe('rocket 🚀');
  });

  it('a token subject longer than an owner can be is refused at authentication (401)', async () => {
    const token = await testToken({ subject: 's'.repeat(300), scope: 'ledger:write' });
    const reply = await app.app.request('/v1/accounts', {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ ledger: 'AIA' }),
    });
    expect(reply.status).toBe(401);
    expect(((await reply.json()) as { detail: string }).detail).toBe(
      'token subject must be at most 256 characters',
    );
  });

  it('token subjects always fit an account owner', () => {
    expect(MAX_SUBJECT_LENGTH).toBeLessThanOrEqual(MAX_OWNER_LENGTH);
  });

  it.each(['0x10', '1e1', ' 16', '16.0', '-1', '0'])(
    'limit=%s is not a page size (422 naming limit)',
    async (limit) => {
      const [account] = (await openUserAccounts(db.sql, 1)) as [string];
      for (const path of [`/accounts/${account}/transfers`, '/audit']) {
        const reply = await call('GET', `${path}?limit=${encodeURIComponent(limit)}`, {
          as: 'treasurer',
          scope: ADMIN_SCOPES,
        });
        expectProblem(reply, 422, 'validation_failed', 'limit');
      }
    },
  );

  it('limit=16 pages by 16', async () => {
    const reply = await call('GET', '/audit?limit=16', { as: 'treasurer', scope: ADMIN_SCOPES });
    expect(reply.status).toBe(200);
  });
});
