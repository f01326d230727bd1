import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  asAdmin,
  type Call,
  expectProblem,
  expectRefusedUnchanged,
  transferBody,
} from '../testing/api-fixtures.js';
import { ledgerApp } from '../testing/ledger-app.js';
import { treasuryOf, useLedgerDatabase } from '../testing/ledger-database.js';

const db = useLedgerDatabase('account_routes');
let call: Call;
beforeAll(() => {
  ({ call } = ledgerApp(db.sql));
});

const auditCount = async () => {
  const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from audit_log`;
  return row?.n;
};
const open = (body: Record<string, unknown>, as = 'alice') =>
  call('POST', '/accounts', { as, body });

describe('POST /v1/accounts', () => {
  it('opens a user account owned by the token subject: 201, zero balances, an audit entry', async () => {
    const id = randomUUID();
    const reply = await open({ id, ledger: 'AIA', memo: 'savings' });
    expect(reply.status).toBe(201);
    expect(reply.body.account).toMatchObject({
      id,
      ledger: 'AIA',
      kind: 'user',
      owner: 'alice',
      flags: { debits_must_not_exceed_credits: true, credits_must_not_exceed_debits: false },
      balance: '0',
      available: '0',
      debits_pending: '0',
      credits_posted: '0',
      memo: 'savings',
    });
    const [audit] = await db.sql`
      select actor, action, ledger from audit_log where details->>'account_id' = ${id}`;
    expect(audit).toEqual({ actor: 'alice', action: 'account.open', ledger: 'AIA' });
  });

  it('opens with a generated id when none is given', async () => {
    const reply = await open({ ledger: 'AIA_GOV' });
    expect(reply.status).toBe(201);
    expect(reply.body.account.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(reply.body.account.ledger).toBe('AIA_GOV');
  });

  it('the same id and fields again → 200 with the same account, nothing written', async () => {
    const id = randomUUID();
    const first = await open({ id, ledger: 'AIA' });
    expect(first.status).toBe(201);
    const auditBefore = await auditCount();
    const again = await open({ id, ledger: 'AIA' });
    expect(again.status).toBe(200);
    expect(again.body.account).toEqual(first.body.account);
    expect(await auditCount()).toBe(auditBefore);
  });

  it('the same id with other fields → 409 naming id', async () => {
    const id = randomUUID();
    expect((await open({ id, ledger: 'AIA' })).status).toBe(201);
    await expectRefusedUnchanged(db.sql, () => open({ id, ledger: 'AIA_GOV' }), {
      status: 409,
      code: 'conflict',
      field: 'id',
    });
    // Another subject sending the same id would open it for another owner: a conflict too.
    await expectRefusedUnchanged(db.sql, () => open({ id, ledger: 'AIA' }, 'bob'), {
      status: 409,
      code: 'conflict',
      field: 'id',
    });
  });

  it.each([
    ['for another owner', { owner: 'bob' }, 'owner', /treasury admin/],
    ['of kind operating', { kind: 'operating' }, 'kind', /treasury admin/],
    [
      'that may be overdrawn',
      { flags: { debits_must_not_exceed_credits: false } },
      'flags.debits_must_not_exceed_credits',
      /overdrawn/,
    ],
    [
      'with a credit limit',
      { flags: { credits_must_not_exceed_debits: true } },
      'flags.credits_must_not_exceed_debits',
      /treasury admin/,
    ],
  ])(
    'a non-admin may not open an account %s → 403 naming the field',
    async (_name, fields, field, reason) => {
      await expectRefusedUnchanged(db.sql, () => open({ ledger: 'AIA', ...fields }), {
        status: 403,
        code: 'forbidden',
        field,
        reason,
      });
    },
  );

  it('a treasury admin may open an operating, overdraft-allowed account for another owner', async () => {
    const reply = await asAdmin(call, 'POST', '/accounts', {
      body: {
        ledger: 'AIA',
        kind: 'operating',
        owner: 'carol',
        flags: { debits_must_not_exceed_credits: false },
      },
    });
    expect(reply.status).toBe(201);
    expect(reply.body.account).toMatchObject({
      kind: 'operating',
      owner: 'carol',
      flags: { debits_must_not_exceed_credits: false, credits_must_not_exceed_debits: false },
    });
  });

  it.each([
    ['an unknown ledger', { ledger: 'BTC' }, 'ledger'],
    ['a system kind', { ledger: 'AIA', kind: 'treasury' }, 'kind'],
    ['an id that is not a UUID', { ledger: 'AIA', id: 'mine' }, 'id'],
    ['an unknown field', { ledger: 'AIA', colour: 'blue' }, '(body)'],
    ['an unknown flag', { ledger: 'AIA', flags: { frozen: true } }, 'flags'],
  ])('%s → 422 naming the field', async (_name, body, field) => {
    await expectRefusedUnchanged(db.sql, () => open(body), {
      status: 422,
      code: 'validation_failed',
      field,
    });
  });

  it('without ledger:write → 403', async () => {
    const reply = await call('POST', '/accounts', {
      scope: 'ledger:read',
      body: { ledger: 'AIA' },
    });
    expectProblem(reply, 403, 'forbidden');
  });
});

describe('GET /v1/accounts/{id} and its history', () => {
  it('an unknown account → 404, its history too', async () => {
    const id = randomUUID();
    expectProblem(await call('GET', `/accounts/${id}`), 404, 'not_found');
    expectProblem(await call('GET', `/accounts/${id}/transfers`), 404, 'not_found');
  });

  it('an id that is not a UUID → 422 naming id', async () => {
    expectProblem(await call('GET', '/accounts/nope'), 422, 'validation_failed', 'id');
  });

  it('pages through 25 transfers newest first following next_cursor', async () => {
    const account = (await open({ ledger: 'AIA' })).body.account.id as string;
    const created: string[] = [];
    for (let round = 0; round < 5; round++) {
      const transfers = Array.from({ length: 5 }, (_, index) => {
        const id = randomUUID();
        created.push(id);
        return { id, ...transferBody(treasuryOf('AIA'), account, `${round * 5 + index + 1}`) };
      });
      const reply = await asAdmin(call, 'POST', '/transfers/batch', { body: { transfers } });
      expect(reply.body.created).toBe(5);
    }
    const pages: { transfers: { id: string }[]; next_cursor: string | null }[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '' : `&cursor=${cursor}`;
      const reply = await call('GET', `/accounts/${account}/transfers?limit=10${query}`);
      expect(reply.status).toBe(200);
      pages.push(reply.body as (typeof pages)[number]);
      cursor = reply.body.next_cursor;
    } while (cursor !== null && pages.length < 10);
    expect(pages.map((page) => page.transfers.length)).toEqual([10, 10, 5]);
    expect(pages.at(-1)?.next_cursor).toBeNull();
    const ids = pages.flatMap((page) => page.transfers.map((transfer) => transfer.id));
    expect(new Set(ids).size).toBe(25);
    expect(ids).toEqual([...created].reverse());
    const first = pages[0]?.transfers[0];
    expect(first).toMatchObject({ amount: '25', credit_account_id: account, kind: 'transfer' });
  });

  it('a cursor or limit out of range → 422 naming the parameter', async () => {
    const account = (await open({ ledger: 'AIA' })).body.account.id as string;
    const bad = (query: string) => call('GET', `/accounts/${account}/transfers?${query}`);
    expectProblem(await bad('cursor=abc'), 422, 'validation_failed', 'cursor');
    expectProblem(await bad('limit=0'), 422, 'validation_failed', 'limit');
    expectProblem(await bad('limit=501'), 422, 'validation_failed', 'limit');
  });
});
