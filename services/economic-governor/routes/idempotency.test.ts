import { randomUUID } from 'node:crypto';
import type { Registry } from 'prom-client';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  accountOf,
  type Call,
  expectProblem,
  expectRefusedUnchanged,
  fund,
  openFunded,
  transferBody,
  transferCount,
} from '../testing/api-fixtures.js';
import { ledgerApp } from '../testing/ledger-app.js';
import { openUserAccounts, useLedgerDatabase } from '../testing/ledger-database.js';

const db = useLedgerDatabase('idempotency');
let call: Call;
beforeAll(() => {
  ({ call } = ledgerApp(db.sql));
});

const withKey = (key: string, body: unknown, as = 'alice') =>
  call('POST', '/transfers', { as, body, headers: { 'Idempotency-Key': key } });

/** Rows in `transfers` with this debit account. */
const debits = async (account: string) => {
  const [row] = await db.sql<{ n: number }[]>`
    select count(*)::int as n from transfers where debit_account_id = ${account}`;
  return row?.n;
};

describe('Idempotency-Key', () => {
  let alice: string;
  let bob: string;
  beforeAll(async () => {
    [alice] = (await openFunded(db.sql, call, { amount: '1000' })) as [string];
    [bob] = (await openUserAccounts(db.sql, 1, 'bob')) as [string];
  });

  it('the same key and body → the same status and body, Idempotent-Replayed: true, one transfer', async () => {
    const key = randomUUID();
    const before = await debits(alice);
    const first = await withKey(key, transferBody(alice, bob, '1.5'));
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await withKey(key, transferBody(alice, bob, '1.5'));
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await debits(alice)).toBe((before ?? 0) + 1);
  });

  it('the same body with its fields in another order is the same request', async () => {
    const key = randomUUID();
    const first = await withKey(key, transferBody(alice, bob, '2'));
    const { amount, ledger, ...rest } = transferBody(alice, bob, '2');
    const again = await withKey(key, { amount, ...rest, ledger });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
  });

  it('the same key with another body → 409 saying the key was used with a different body', async () => {
    const key = randomUUID();
    expect((await withKey(key, transferBody(alice, bob, '1'))).status).toBe(201);
    const reply = await expectRefusedUnchanged(
      db.sql,
      () => withKey(key, transferBody(alice, bob, '2')),
      { status: 409, code: 'conflict', field: 'Idempotency-Key' },
    );
    expect(reply.body.detail).toMatch(/already used with a different request body/);
  });

  it('the same key sent 50 times at once creates exactly one transfer; all 50 answer it', async () => {
    const [payer] = (await openFunded(db.sql, call, { amount: '100' })) as [string];
    const key = randomUUID();
    const replies = await Promise.all(
      Array.from({ length: 50 }, () => withKey(key, transferBody(payer, bob, '3'))),
    );
    expect(replies.map((reply) => reply.status)).toEqual(Array(50).fill(201));
    const ids = new Set(replies.map((reply) => reply.body.transfer?.id));
    expect(ids.size).toBe(1);
    expect(await debits(payer)).toBe(1);
    expect(
      replies.filter((reply) => reply.headers.get('idempotent-replayed') === null),
    ).toHaveLength(1);
  });

  it('keys are per caller: another subject with the same key gets its own result', async () => {
    const [bobs] = (await openFunded(db.sql, call, { owner: 'bob', amount: '10' })) as [string];
    const key = randomUUID();
    const alices = await withKey(key, transferBody(alice, bob, '4'));
    expect(alices.status).toBe(201);
    const own = await withKey(key, transferBody(bobs, alice, '4'), 'bob');
    expect(own.status).toBe(201);
    expect(own.headers.get('idempotent-replayed')).toBeNull();
    expect(own.body.transfer.id).not.toBe(alices.body.transfer.id);
    expect(own.body.transfer.debit_account_id).toBe(bobs);
    expect(await debits(bobs)).toBe(1);
  });

  it('a refused request stores nothing under its key: after funding, the same key succeeds', async () => {
    const [empty] = (await openUserAccounts(db.sql, 1, 'alice')) as [string];
    const key = randomUUID();
    await expectRefusedUnchanged(db.sql, () => withKey(key, transferBody(empty, bob, '5')), {
      status: 409,
      code: 'exceeds_credits',
      field: 'amount',
    });
    await fund(call, empty, '5');
    const retried = await withKey(key, transferBody(empty, bob, '5'));
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    expect(await debits(empty)).toBe(1);
  });

  it('replays other writes too: a batch answered once', async () => {
    const key = randomUUID();
    const body = { transfers: [transferBody(alice, bob, '1'), transferBody(alice, bob, '1')] };
    const send = () =>
      call('POST', '/transfers/batch', { body, headers: { 'Idempotency-Key': key } });
    const before = await transferCount(db.sql, bob);
    const first = await send();
    const again = await send();
    expect(first.body).toMatchObject({ created: 2 });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await transferCount(db.sql, bob)).toBe(before + 2);
  });

  it('a key longer than 255 characters → 422 naming the header', async () => {
    const reply = await withKey('k'.repeat(256), transferBody(alice, bob, '1'));
    expectProblem(reply, 422, 'validation_failed', 'idempotency-key');
  });
});

describe('exactly once under concurrency', () => {
  it('the same client transfer id sent 10 times at once → one 201, nine 200, one transfer', async () => {
    const [payer] = (await openFunded(db.sql, call, { amount: '100' })) as [string];
    const [payee] = (await openUserAccounts(db.sql, 1, 'bob')) as [string];
    const id = randomUUID();
    const replies = await Promise.all(
      Array.from({ length: 10 }, () =>
        call('POST', '/transfers', { body: transferBody(payer, payee, '7', { id }) }),
      ),
    );
    expect(replies.map((reply) => reply.status).sort()).toEqual([...Array(9).fill(200), 201]);
    expect(new Set(replies.map((reply) => reply.body.transfer?.id))).toEqual(new Set([id]));
    expect(await debits(payer)).toBe(1);
    expect(await accountOf(call, payer)).toMatchObject({ balance: '93' });
  });

  it('concurrent transfers never overdraw: 20 × 10 from 100 → exactly 10 commit', async () => {
    const [payer] = (await openFunded(db.sql, call, { amount: '100' })) as [string];
    const [payee] = (await openUserAccounts(db.sql, 1, 'bob')) as [string];
    const replies = await Promise.all(
      Array.from({ length: 20 }, () =>
        call('POST', '/transfers', { body: transferBody(payer, payee, '10') }),
      ),
    );
    const statuses = replies.map((reply) => reply.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(10);
    expect(statuses.filter((status) => status === 409)).toHaveLength(10);
    expect(await accountOf(call, payer)).toMatchObject({ balance: '0', available: '0' });
    expect(await accountOf(call, payee)).toMatchObject({ balance: '100' });
  });

  it('a pending transfer posted and voided 10 times at once is resolved exactly once', async () => {
    const [payer] = (await openFunded(db.sql, call, { amount: '100' })) as [string];
    const [payee] = (await openUserAccounts(db.sql, 1, 'bob')) as [string];
    const pending = await call('POST', '/transfers', {
      body: transferBody(payer, payee, '60', { pending: {} }),
    });
    const id = pending.body.transfer.id as string;
    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        call('POST', `/transfers/${id}/${index % 2 ? 'void' : 'post'}`, { body: {} }),
      ),
    );
    const statuses = replies.map((reply) => reply.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(9);
    const [row] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from transfers where pending_id = ${id}`;
    expect(row?.n).toBe(1);
    const payerNow = await accountOf(call, payer);
    expect(payerNow.debits_pending).toBe('0');
    expect(['40', '100']).toContain(payerNow.balance);
  });
});

describe('ledger metrics', () => {
  let measured: ReturnType<typeof ledgerApp>;
  let alice: string;
  let bob: string;
  beforeAll(async () => {
    measured = ledgerApp(db.sql);
    [alice] = (await openFunded(db.sql, call, { amount: '10' })) as [string];
    [bob] = (await openUserAccounts(db.sql, 1, 'bob')) as [string];
  });

  const metricValue = async (registry: Registry, name: string, labels: Record<string, string>) => {
    const metric = registry.getSingleMetric(name);
    if (!metric) throw new Error(`metric ${name} is not registered`);
    const { values } = await metric.get();
    const matching = values.filter(
      (value) =>
        ((value as { metricName?: string }).metricName ?? name) ===
          (name.endsWith('_total') ? name : `${name}_count`) &&
        Object.entries(labels).every(([label, wanted]) => value.labels[label] === wanted),
    );
    return matching.reduce((sum, value) => sum + value.value, 0);
  };

  it('count committed and rejected transfers by ledger and time the operations', async () => {
    const { call: send, registry } = measured;
    const counted = (result: string, ledger = 'AIA') =>
      metricValue(registry, 'token_transactions_total', { ledger, result });
    expect(await counted('committed')).toBe(0);
    expect(await counted('rejected')).toBe(0);

    expect((await send('POST', '/transfers', { body: transferBody(alice, bob, '1') })).status).toBe(
      201,
    );
    const refused = await send('POST', '/transfers', { body: transferBody(alice, bob, '100') });
    expect(refused.status).toBe(409);
    const gov = await send('POST', '/transfers', {
      body: transferBody(alice, bob, '1', { ledger: 'AIA_GOV' }),
    });
    expect(gov.status).toBe(422);

    expect(await counted('committed')).toBe(1);
    expect(await counted('rejected')).toBe(1);
    expect(await counted('rejected', 'AIA_GOV')).toBe(1);
    expect(await counted('failed')).toBe(0);
    const text = await registry.getSingleMetricAsString('token_transactions_total');
    expect(text).toMatch(
      /token_transactions_total\{[^}]*ledger="AIA"[^}]*result="committed"[^}]*\} 1/,
    );

    const timed = (outcome: string) =>
      metricValue(registry, 'token_operation_duration_seconds', { operation: 'transfer', outcome });
    expect(await timed('committed')).toBe(1);
    expect(await timed('rejected')).toBe(2);
  });

  it('a replayed response is not counted again', async () => {
    const { call: send, registry } = measured;
    const key = randomUUID();
    const before = await metricValue(registry, 'token_transactions_total', {
      ledger: 'AIA',
      result: 'committed',
    });
    for (let attempt = 0; attempt < 3; attempt++) {
      const reply = await send('POST', '/transfers', {
        body: transferBody(alice, bob, '0.1'),
        headers: { 'Idempotency-Key': key },
      });
      expect(reply.status).toBe(201);
    }
    const after = await metricValue(registry, 'token_transactions_total', {
      ledger: 'AIA',
      result: 'committed',
    });
    expect(after - before).toBe(1);
  });
});
