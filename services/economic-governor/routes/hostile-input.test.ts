import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../../tools/local-stack/sign-token.js';
import {
  type Call,
  expectProblem,
  expectRefusedUnchanged,
  openFunded,
  transferBody,
  transferCount,
} from '../test/api-fixtures.js';
import { ledgerApp } from '../test/ledger-app.js';
import { openUserAccounts, treasuryOf, useLedgerDatabase } from '../test/ledger-database.js';

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
      { status: 422, code: 'validation-failed', field: 'memo' },
    );
  });

  it('a cursor beyond the largest sequence number → 422 naming cursor', async () => {
    const [account] = (await openUserAccounts(db.sql, 1)) as [string];
    const reply = await call('GET', `/accounts/${account}/transfers?cursor=9999999999999999999`);
    expectProblem(reply, 422, 'validation-failed', 'cursor');
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
    const token = await signToken({
      secret: app.secret,
      subject: 'eve\u0000',
      scope: 'ledger:read',
    });
    const reply = await app.app.request('/v1/ledgers', {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(reply.status).toBe(401);
  });
});
