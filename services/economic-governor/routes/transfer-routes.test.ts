import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  accountOf,
  asAdmin,
  type Call,
  expectProblem,
  expectRefusedUnchanged,
  openFunded,
  snapshot,
  transferBody,
  transferCount,
} from '../testing/api-fixtures.js';
import { ledgerApp } from '../testing/ledger-app.js';
import { openUserAccounts, treasuryOf, useLedgerDatabase } from '../testing/ledger-database.js';

const db = useLedgerDatabase('transfer_routes');
let call: Call;
beforeAll(() => {
  ({ call } = ledgerApp(db.sql));
});

const post = (body: unknown, as = 'alice') => call('POST', '/transfers', { as, body });

describe('POST /v1/transfers refuses bad input with a problem naming the field, and changes nothing', () => {
  let alice: string;
  let aliceOther: string;
  let bobs: string;
  beforeAll(async () => {
    [alice, aliceOther] = (await openFunded(db.sql, call, { count: 2, amount: '100' })) as [
      string,
      string,
    ];
    [bobs] = (await openFunded(db.sql, call, { owner: 'bob' })) as [string];
  });

  type Expected = { status: number; code: string; field: string; reason: RegExp };
  const body = (changes: Record<string, unknown>) => () =>
    ({ ...transferBody(alice, aliceOther, '1'), ...changes }) as Record<string, unknown>;
  const without = (field: string) => () => {
    const { [field]: _dropped, ...rest } = body({})();
    return rest;
  };
  const refused = (status: number, code: string, field: string, reason: RegExp): Expected => ({
    status,
    code,
    field,
    reason,
  });
  const invalid = (field: string, reason: RegExp) =>
    refused(422, 'validation_failed', field, reason);
  const notDecimal = invalid('amount', /not a decimal number/);
  it.each<[string, () => unknown, Expected]>([
    ['a negative amount', body({ amount: '-1' }), notDecimal],
    ['a zero amount "0"', body({ amount: '0' }), invalid('amount', /greater than zero/)],
    ['a zero amount "0.000"', body({ amount: '0.000' }), invalid('amount', /greater than zero/)],
    ['a non-numeric amount "abc"', body({ amount: 'abc' }), notDecimal],
    ['an exponent "1e5"', body({ amount: '1e5' }), notDecimal],
    ['a leading space " 1"', body({ amount: ' 1' }), notDecimal],
    ['an amount as a JSON number', body({ amount: 5 }), invalid('amount', /string/)],
    ['19 decimals', body({ amount: '0.0000000000000000001' }), invalid('amount', /at most 18/)],
    [
      'an unknown debit account',
      body({ debit_account_id: randomUUID() }),
      refused(422, 'account_not_found', 'debit_account_id', /does not exist/),
    ],
    [
      'an unknown credit account',
      body({ credit_account_id: randomUUID() }),
      refused(422, 'account_not_found', 'credit_account_id', /does not exist/),
    ],
    [
      'the same account on both sides',
      () => transferBody(alice, alice, '1'),
      refused(422, 'accounts_must_be_different', 'credit_account_id', /same account/),
    ],
    [
      'an AIA_GOV transfer between AIA accounts',
      body({ ledger: 'AIA_GOV' }),
      refused(422, 'ledger_mismatch', 'debit_account_id', /on ledger AIA, the transfer on AIA_GOV/),
    ],
    [
      'a debit account owned by someone else',
      () => transferBody(bobs, alice, '1'),
      refused(403, 'not_account_owner', 'debit_account_id', /owned by bob/),
    ],
    [
      'an overdraft',
      body({ amount: '100.000000000000000001' }),
      refused(409, 'exceeds_credits', 'amount', /has 100 available/),
    ],
    ['a missing amount', without('amount'), invalid('amount', /./)],
    ['a missing debit account', without('debit_account_id'), invalid('debit_account_id', /./)],
    ['a missing ledger', without('ledger'), invalid('ledger', /./)],
    [
      'an id that is not a UUID',
      body({ credit_account_id: 'bob' }),
      invalid('credit_account_id', /UUID/),
    ],
    ['an unknown field', body({ colour: 'blue' }), invalid('(body)', /'colour'/)],
    ['an unknown field in pending', body({ pending: { s: 5 } }), invalid('pending', /'s'/)],
  ])('%s → refused', async (_name, make, expected) => {
    await expectRefusedUnchanged(db.sql, () => post(make()), expected);
  });

  it('a body that is not declared JSON → 415', async () => {
    await expectRefusedUnchanged(
      db.sql,
      () =>
        call('POST', '/transfers', {
          body: JSON.stringify(transferBody(alice, aliceOther, '1')),
          headers: { 'Content-Type': 'text/plain' },
        }),
      { status: 415, code: 'unsupported_media_type' },
    );
  });

  it('malformed JSON → 400', async () => {
    await expectRefusedUnchanged(db.sql, () => post('{"ledger": "AIA", "amount": '), {
      status: 400,
      code: 'bad_request',
    });
  });
});

describe('two-phase refusals change nothing', () => {
  let alice: string;
  let shop: string;
  const reserve = async (amount: string, pending: Record<string, unknown> = {}) => {
    const reply = await post(transferBody(alice, shop, amount, { pending }));
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    return reply.body.transfer.id as string;
  };
  const resolve = (pending: string, type: 'post' | 'void', body: Record<string, unknown> = {}) =>
    call('POST', `/transfers/${pending}/${type}`, { body });
  beforeAll(async () => {
    [alice] = (await openFunded(db.sql, call, { amount: '100' })) as [string];
    [shop] = (await openUserAccounts(db.sql, 1, 'shop')) as [string];
  });

  it('posting a pending transfer after its timeout → 409 pending_transfer_expired', async () => {
    const pending = await reserve('10', { timeout_seconds: 1 });
    await sleep(1_200);
    await expectRefusedUnchanged(db.sql, () => resolve(pending, 'post'), {
      status: 409,
      code: 'pending_transfer_expired',
      field: 'pending_id',
      reason: /timed out at/,
    });
  });

  it('posting more than the pending amount → 422 exceeds_pending_amount', async () => {
    const pending = await reserve('10');
    await expectRefusedUnchanged(db.sql, () => resolve(pending, 'post', { amount: '10.5' }), {
      status: 422,
      code: 'exceeds_pending_amount',
      field: 'amount',
      reason: '10.5 is more than the pending 10',
    });
  });

  it('posting twice → 409 already posted; voiding a posted one → 409', async () => {
    const pending = await reserve('1');
    expect((await resolve(pending, 'post')).status).toBe(201);
    const already = { status: 409, code: 'pending_transfer_already_posted', field: 'pending_id' };
    await expectRefusedUnchanged(db.sql, () => resolve(pending, 'post'), already);
    await expectRefusedUnchanged(db.sql, () => resolve(pending, 'void'), already);
  });

  it('voiding twice → 409 already voided; posting a voided one → 409', async () => {
    const pending = await reserve('1');
    expect((await resolve(pending, 'void')).status).toBe(201);
    const already = { status: 409, code: 'pending_transfer_already_voided', field: 'pending_id' };
    await expectRefusedUnchanged(db.sql, () => resolve(pending, 'void'), already);
    await expectRefusedUnchanged(db.sql, () => resolve(pending, 'post'), already);
  });

  it('an unknown pending id → 404 pending_transfer_not_found', async () => {
    await expectRefusedUnchanged(db.sql, () => resolve(randomUUID(), 'post'), {
      status: 404,
      code: 'pending_transfer_not_found',
      field: 'pending_id',
    });
  });
});

describe('transfers', () => {
  let alice: string;
  let bob: string;
  beforeAll(async () => {
    [alice] = (await openFunded(db.sql, call, { amount: '5000' })) as [string];
    [bob] = (await openUserAccounts(db.sql, 1, 'bob')) as [string];
  });

  it('commits with 201 and exact decimal strings, shown in GET /accounts/{id}', async () => {
    const reply = await post(transferBody(alice, bob, '1234.567890123456789012', { memo: 'rent' }));
    expect(reply.status).toBe(201);
    expect(reply.body.transfer).toMatchObject({
      ledger: 'AIA',
      kind: 'transfer',
      debit_account_id: alice,
      credit_account_id: bob,
      amount: '1234.567890123456789012',
      memo: 'rent',
    });
    expect((await post(transferBody(alice, bob, '2.50'))).body.transfer.amount).toBe('2.5');
    expect(await accountOf(call, alice)).toMatchObject({
      balance: '3762.932109876543210988',
      available: '3762.932109876543210988',
      debits_posted: '1237.067890123456789012',
    });
    expect(await accountOf(call, bob)).toMatchObject({
      balance: '1237.067890123456789012',
      credits_posted: '1237.067890123456789012',
    });
  });

  it('the same client id and fields again → 200 with the same transfer, nothing doubled', async () => {
    const id = randomUUID();
    const first = await post(transferBody(alice, bob, '3', { id }));
    expect(first.status).toBe(201);
    const [aliceBefore, countBefore] = [
      await accountOf(call, alice),
      await transferCount(db.sql, alice),
    ];
    const again = await post(transferBody(alice, bob, '3', { id }));
    expect(again.status).toBe(200);
    expect(again.body.transfer).toEqual(first.body.transfer);
    expect(await accountOf(call, alice)).toEqual(aliceBefore);
    expect(await transferCount(db.sql, alice)).toBe(countBefore);
  });

  it('the same client id with other fields → 409 exists_with_different_fields', async () => {
    const id = randomUUID();
    expect((await post(transferBody(alice, bob, '3', { id }))).status).toBe(201);
    await expectRefusedUnchanged(db.sql, () => post(transferBody(alice, bob, '4', { id })), {
      status: 409,
      code: 'exists_with_different_fields',
      field: 'id',
      reason: /amount/,
    });
  });

  it('a pending transfer lowers available, not balance; a partial post moves only its part', async () => {
    const [payer] = (await openFunded(db.sql, call, { amount: '100' })) as [string];
    const [payee] = (await openUserAccounts(db.sql, 1, 'bob')) as [string];
    const reply = await post(transferBody(payer, payee, '40', { pending: {} }));
    expect(reply.status).toBe(201);
    const pending = reply.body.transfer;
    expect(pending).toMatchObject({ kind: 'pending', amount: '40' });
    expect(await accountOf(call, payer)).toMatchObject({
      balance: '100',
      available: '60',
      debits_pending: '40',
    });
    expect((await call('GET', `/transfers/${pending.id}`)).body.transfer.status).toBe('pending');

    const postId = randomUUID();
    const postIt = () =>
      call('POST', `/transfers/${pending.id}/post`, { body: { id: postId, amount: '15.5' } });
    const posted = await postIt();
    expect(posted.status).toBe(201);
    expect(posted.body.transfer).toMatchObject({
      id: postId,
      kind: 'post',
      pending_id: pending.id,
      amount: '15.5',
    });
    // The same post (same id) again is answered, not applied twice.
    const again = await postIt();
    expect(again.status).toBe(200);
    expect(again.body.transfer).toEqual(posted.body.transfer);
    expect(await accountOf(call, payer)).toMatchObject({
      balance: '84.5',
      available: '84.5',
      debits_pending: '0',
    });
    expect(await accountOf(call, payee)).toMatchObject({
      balance: '15.5',
      credits_pending: '0',
    });
    expect((await call('GET', `/transfers/${pending.id}`)).body.transfer).toMatchObject({
      kind: 'pending',
      amount: '40',
      status: 'posted',
    });
  });

  it('voiding a pending transfer releases all of it', async () => {
    const [payer] = (await openFunded(db.sql, call, { amount: '100' })) as [string];
    const reply = await post(transferBody(payer, bob, '70', { pending: {} }));
    expect((await accountOf(call, payer)).available).toBe('30');
    const voided = await call('POST', `/transfers/${reply.body.transfer.id}/void`, { body: {} });
    expect(voided.status).toBe(201);
    expect(voided.body.transfer).toMatchObject({ kind: 'void', amount: '70' });
    expect(await accountOf(call, payer)).toMatchObject({
      balance: '100',
      available: '100',
      debits_pending: '0',
    });
    const shown = await call('GET', `/transfers/${reply.body.transfer.id}`);
    expect(shown.body.transfer.status).toBe('voided');
  });

  it('post and void need no body; a body that is not JSON is refused with 415', async () => {
    const [payer] = (await openFunded(db.sql, call, { amount: '100' })) as [string];
    const first = await post(transferBody(payer, bob, '10', { pending: {} }));
    const second = await post(transferBody(payer, bob, '20', { pending: {} }));
    expect((await call('POST', `/transfers/${first.body.transfer.id}/post`)).status).toBe(201);
    const textBody = await call('POST', `/transfers/${second.body.transfer.id}/void`, {
      body: 'void it',
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(textBody.status).toBe(415);
    expect((await call('POST', `/transfers/${second.body.transfer.id}/void`)).status).toBe(201);
    expect(await accountOf(call, payer)).toMatchObject({ balance: '90', available: '90' });
  });

  it('GET /transfers/{id} of an unknown transfer → 404', async () => {
    expectProblem(await call('GET', `/transfers/${randomUUID()}`), 404, 'not_found');
  });
});

describe('POST /v1/transfers/batch', () => {
  let alice: string;
  let bob: string;
  const batch = (body: unknown, as = 'alice') => call('POST', '/transfers/batch', { as, body });
  beforeAll(async () => {
    [alice] = (await openFunded(db.sql, call, { amount: '100' })) as [string];
    [bob] = (await openUserAccounts(db.sql, 1, 'bob')) as [string];
  });

  it('answers each entry in order and applies only the good ones', async () => {
    const ghost = randomUUID();
    const reply = await batch({
      transfers: [
        transferBody(alice, bob, '1'),
        transferBody(alice, bob, '1000'),
        transferBody(alice, ghost, '1'),
        transferBody(alice, bob, '2'),
      ],
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ created: 2, exists: 0, failed: 2 });
    expect(reply.body.results).toMatchObject([
      { index: 0, status: 'created' },
      { index: 1, status: 'failed', error: { code: 'exceeds_credits', field: 'amount' } },
      {
        index: 2,
        status: 'failed',
        error: { code: 'account_not_found', field: 'credit_account_id' },
      },
      { index: 3, status: 'created' },
    ]);
    expect(await accountOf(call, alice)).toMatchObject({ balance: '97' });
    expect(await accountOf(call, bob)).toMatchObject({ balance: '3' });
  });

  it('a linked chain with a failing member applies none of the chain; unlinked entries still apply', async () => {
    const [payer] = (await openFunded(db.sql, call, { amount: '10' })) as [string];
    const [payee] = (await openUserAccounts(db.sql, 1, 'bob')) as [string];
    const reply = await batch({
      transfers: [
        transferBody(payer, payee, '1', { linked: true }),
        transferBody(payer, payee, '50', { linked: true }),
        transferBody(payer, payee, '2'),
        transferBody(payer, payee, '4'),
      ],
    });
    expect(reply.status).toBe(200);
    expect(
      reply.body.results.map(
        (r: { status: string; error?: { code: string } }) => r.error?.code ?? r.status,
      ),
    ).toEqual(['linked_event_failed', 'exceeds_credits', 'linked_event_failed', 'created']);
    expect(await accountOf(call, payer)).toMatchObject({ balance: '6' });
    expect(await accountOf(call, payee)).toMatchObject({ balance: '4' });
  });

  it('atomic: one failure → 409 naming transfers.<i>.<field>, nothing applied', async () => {
    const reply = await expectRefusedUnchanged(
      db.sql,
      () =>
        batch({
          atomic: true,
          transfers: [
            transferBody(alice, bob, '1'),
            transferBody(alice, bob, '1000'),
            transferBody(alice, bob, '1'),
          ],
        }),
      { status: 409, code: 'exceeds_credits', field: 'transfers.1.amount', reason: /available/ },
    );
    expect(reply.body.detail).toMatch(/nothing in the batch was applied/);
  });

  it('entries may post and void pending transfers created earlier in the same batch', async () => {
    const [payer] = (await openFunded(db.sql, call, { amount: '100' })) as [string];
    const [kept, dropped] = [randomUUID(), randomUUID()];
    const reply = await batch({
      transfers: [
        transferBody(payer, bob, '30', { id: kept, pending: { timeout_seconds: 600 } }),
        transferBody(payer, bob, '20', { id: dropped, pending: {} }),
        { type: 'post', pending_id: kept, amount: '25' },
        { type: 'void', pending_id: dropped },
      ],
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ created: 4, failed: 0 });
    expect(await accountOf(call, payer)).toMatchObject({
      balance: '75',
      available: '75',
      debits_pending: '0',
    });
    expect((await call('GET', `/transfers/${kept}`)).body.transfer.status).toBe('posted');
    expect((await call('GET', `/transfers/${dropped}`)).body.transfer.status).toBe('voided');
    const [timeouts] =
      await db.sql`select count(*)::int as n from pending_timeouts where transfer_id = ${kept}`;
    expect(timeouts?.n).toBe(0);
  });

  it('a batch of 8,000 transfers commits in one request', async () => {
    const payees = await openUserAccounts(db.sql, 8, 'bob');
    const before = await snapshot(db.sql);
    const transfers = Array.from({ length: 8_000 }, (_, index) =>
      transferBody(treasuryOf('AIA'), payees[index % 8] as string, '0.5'),
    );
    const reply = await asAdmin(call, 'POST', '/transfers/batch', { body: { transfers } });
    expect(reply.status, JSON.stringify(reply.body).slice(0, 500)).toBe(200);
    expect(reply.body).toMatchObject({ created: 8_000, exists: 0, failed: 0 });
    for (const payee of payees) expect((await accountOf(call, payee)).balance).toBe('500');
    const after = await snapshot(db.sql);
    expect(after.counts.transfers - before.counts.transfers).toBe(8_000);
    expect(after.counts.outbox - before.counts.outbox).toBe(8_000);
    const ledger = (await call('GET', '/ledgers/AIA')).body.ledger;
    expect(ledger).toMatchObject({ balanced: true, supply: '1000000000' });
  }, 60_000);

  it('a batch of 8,001 transfers → 422 naming transfers', async () => {
    const transfers = Array.from({ length: 8_001 }, () => transferBody(alice, bob, '0.000001'));
    await expectRefusedUnchanged(db.sql, () => batch({ transfers }), {
      status: 422,
      code: 'validation_failed',
      field: 'transfers',
      reason: /at most 8000/,
    });
  });
});
