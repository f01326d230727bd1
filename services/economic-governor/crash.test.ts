import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/harness/databases.js';
import { testToken } from '../../test/harness/jwt.js';
import { parseAmount } from './domain/amounts.js';
import { exited, killLedgerProcesses, startLedgerProcess } from './testing/ledger-process.js';
import { type Attempt, accountsOffTheirTransfers, randomAttempt } from './testing/transfer-load.js';

const ADMIN_SCOPES = 'ledger:read ledger:write treasury:admin';
const ACCOUNTS = 20;
const CLIENTS = 16;
const LOAD_MS = 1_500;

describe('the economic governor killed with SIGKILL under load', () => {
  let database: TestDatabase;
  let sql: postgres.Sql;

  beforeAll(async () => {
    database = await createTestDatabase('ledger_crash');
    sql = postgres(database.url, { max: 4, onnotice: () => {} });
  });

  afterAll(async () => {
    await killLedgerProcesses();
    await sql?.end();
    await database?.drop();
  });

  it('loses no acknowledged transfer and keeps the books balanced across a restart', async () => {
    const token = await testToken({ subject: 'treasurer', scope: ADMIN_SCOPES });
    const call = (base: string, method: string, path: string, body?: unknown) =>
      fetch(`${base}/v1${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const json = async (response: Response) =>
      // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field
      (await response.json()) as Record<string, any>;
    /** The problem code of a refusal: the last segment of its `type`. */
    const problemCode = (body: Record<string, unknown>) => String(body.type).split(/[/:]/).pop();

    // --- First life: genesis, accounts, funding -----------------------------------------
    const first = await startLedgerProcess(database.url);
    const ledgersBefore = await json(await call(first.url, 'GET', '/ledgers'));
    const supplyOf = (body: Record<string, unknown>) =>
      Object.fromEntries(
        (body.ledgers as { code: string; supply: string }[]).map((l) => [l.code, l.supply]),
      );
    const supplyBefore = supplyOf(ledgersBefore);
    expect(supplyBefore).toEqual({ AIA: '1000000000', AIA_GOV: '100000000' });
    const aia = (
      ledgersBefore.ledgers as { code: string; system_accounts: { treasury: string } }[]
    ).find((l) => l.code === 'AIA');
    const treasury = aia?.system_accounts.treasury as string;

    const accounts = await Promise.all(
      Array.from({ length: ACCOUNTS }, async () => {
        const response = await call(first.url, 'POST', '/accounts', { ledger: 'AIA' });
        expect(response.status).toBe(201);
        return (await json(response)).account.id as string;
      }),
    );
    for (const account of accounts) {
      const response = await call(first.url, 'POST', '/transfers', {
        ledger: 'AIA',
        debit_account_id: treasury,
        credit_account_id: account,
        amount: '100',
      });
      expect(response.status, JSON.stringify(await response.clone().json())).toBe(201);
    }

    // --- Load, then SIGKILL while requests are in flight ---------------------------------
    const attempts = new Map<string, Attempt>();
    const acked = new Set<string>();
    const refused = new Map<string, string>();
    const unanswered = new Set<string>();
    let killed = false;
    const amounts = ['1', '2', '3', '0.5', '1.25', '7', '10'];
    const client = async () => {
      while (!killed) {
        const attempt = randomAttempt(
          accounts,
          amounts[Math.floor(Math.random() * amounts.length)] as string,
        );
        attempts.set(attempt.id, attempt);
        try {
          const response = await call(first.url, 'POST', '/transfers', attempt);
          // Acknowledged as soon as a 2xx status arrives: the body may be cut by the kill.
          if (response.status === 200 || response.status === 201) acked.add(attempt.id);
          else
            refused.set(
              attempt.id,
              `${response.status} ${problemCode(await json(response).catch(() => ({})))}`,
            );
          await response.arrayBuffer().catch(() => undefined);
        } catch {
          unanswered.add(attempt.id);
          return;
        }
      }
    };
    const clients = Array.from({ length: CLIENTS }, client);
    await new Promise((resolve) => setTimeout(resolve, LOAD_MS));
    const inFlightAtKill = attempts.size - acked.size - refused.size;
    first.child.kill('SIGKILL');
    killed = true;
    await exited(first.child);
    await Promise.all(clients);
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(acked.size, 'transfers acknowledged before the kill').toBeGreaterThan(20);
    expect(inFlightAtKill, 'requests in flight at the kill').toBeGreaterThan(0);
    for (const [, reason] of refused) expect(reason).toBe('409 exceeds_credits');

    // --- Second life on the same database ------------------------------------------------
    const second = await startLedgerProcess(database.url);

    // Every acknowledged transfer is there, as it was sent.
    const ackedIds = [...acked];
    for (let i = 0; i < ackedIds.length; i += CLIENTS) {
      await Promise.all(
        ackedIds.slice(i, i + CLIENTS).map(async (id) => {
          const response = await call(second.url, 'GET', `/transfers/${id}`);
          expect(response.status, `acknowledged transfer ${id}`).toBe(200);
          const { transfer } = await json(response);
          const sent = attempts.get(id) as Attempt;
          expect(transfer).toMatchObject({
            id,
            kind: 'transfer',
            amount: sent.amount,
            debit_account_id: sent.debit_account_id,
            credit_account_id: sent.credit_account_id,
          });
        }),
      );
    }

    // The books balance and the restart minted nothing.
    const ledgersAfter = await json(await call(second.url, 'GET', '/ledgers'));
    expect(
      (ledgersAfter.ledgers as { code: string; balanced: boolean }[]).map((l) => [
        l.code,
        l.balanced,
      ]),
    ).toEqual([
      ['AIA', true],
      ['AIA_GOV', true],
    ]);
    expect(supplyOf(ledgersAfter)).toEqual(supplyBefore);
    const mints = await sql<{ ledger: string; n: number }[]>`
      select ledger, count(*)::int as n from transfers where kind = 'mint' group by ledger order by ledger`;
    expect(mints).toEqual([
      { ledger: 'AIA', n: 1 },
      { ledger: 'AIA_GOV', n: 1 },
    ]);

    // Balances equal their recomputation from the transfers.
    const mismatched = await accountsOffTheirTransfers(sql);
    expect(mismatched).toEqual([]);
    const kinds = await sql<{ kind: string }[]>`select distinct kind from transfers order by kind`;
    expect(kinds.map((k) => k.kind)).toEqual(['mint', 'transfer']);

    // Unanswered requests committed completely (transfer, outbox event, audit) or not at all.
    const unknownIds = [...attempts.keys()].filter((id) => !acked.has(id) && !refused.has(id));
    expect(unknownIds.length).toBeGreaterThan(0);
    const stored = await sql<
      {
        id: string;
        amount: string;
        debit_account_id: string;
        credit_account_id: string;
        events: number;
        audited: boolean;
      }[]
    >`
      select t.id, t.amount, t.debit_account_id, t.credit_account_id,
             (select count(*)::int from outbox o where o.key = t.id::text) as events,
             exists (select 1 from audit_log a where a.id = t.audit_id) as audited
        from transfers t where t.id = any(${unknownIds}::uuid[])`;
    for (const row of stored) {
      const sent = attempts.get(row.id) as Attempt;
      expect(row).toEqual({
        id: sent.id,
        amount: parseAmount(sent.amount, 18).toString(),
        debit_account_id: sent.debit_account_id,
        credit_account_id: sent.credit_account_id,
        events: 1,
        audited: true,
      });
    }
    const orphanEvents = await sql`
      select o.key from outbox o where o.key = any(${unknownIds}::text[])
         and not exists (select 1 from transfers t where t.id::text = o.key)`;
    expect(orphanEvents).toEqual([]);
    // Refused requests left nothing.
    const refusedRows = await sql`
      select id from transfers where id = any(${[...refused.keys()]}::uuid[])`;
    expect(refusedRows).toEqual([]);
    // One event per transfer over the whole database.
    const [events] = await sql<{ transfers: number; events: number }[]>`
      select (select count(*)::int from transfers) as transfers,
             (select count(*)::int from outbox) as events`;
    expect(events?.events).toBe(events?.transfers);

    // A client retrying its unanswered requests with the same ids gets 200 for those that
    // committed and 201 (or a refusal by the rules) for the others: never a conflict.
    const committed = new Set(stored.map((row) => row.id));
    for (const id of unknownIds) {
      const response = await call(second.url, 'POST', '/transfers', attempts.get(id));
      const body = await json(response);
      if (committed.has(id)) expect(response.status, JSON.stringify(body)).toBe(200);
      else expect([201, 409], JSON.stringify(body)).toContain(response.status);
      if (response.status === 409) expect(problemCode(body)).toBe('exceeds_credits');
    }

    second.child.kill('SIGTERM');
    await exited(second.child);
    expect(second.child.exitCode, second.output()).toBe(0);
  }, 60_000);
});
