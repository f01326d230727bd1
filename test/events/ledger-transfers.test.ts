import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  killLedgerProcesses,
  startLedgerProcess,
} from '../../services/economic-governor/testing/ledger-process.js';
import {
  type LedgerTransferRecord,
  ledgerTransferRecord,
} from '../../services/events/schemas/ledger-transfers.js';
import { consumerGroup } from '../../services/events/topics.js';
import type { Database } from '../../services/platform/db.js';
import { migrateEventTables } from '../../services/platform/events/index.js';
import { createTestDatabase, type TestDatabase } from '../harness/databases.js';
import { testToken } from '../harness/jwt.js';
import { useTestRedis } from '../harness/redis.js';
import { openBus, until } from './fixtures.js';

const ADMIN_SCOPES = 'ledger:read ledger:write treasury:admin';
const redis = useTestRedis();

describe("the economic governor's transfers on aia.ledger.transfers.v1 (local transport)", () => {
  let database: TestDatabase;
  let sql: Database;

  beforeAll(async () => {
    database = await createTestDatabase('ledger_events');
    sql = postgres(database.url, { max: 4, onnotice: () => {} });
  });
  afterAll(async () => {
    await killLedgerProcesses();
    await sql?.end();
    await database?.drop();
  });

  it('delivers every committed transfer once, exactly as the record schema says', {
    timeout: 90_000,
  }, async () => {
    const ledger = await startLedgerProcess(database.url);
    const token = await testToken({ subject: 'treasurer', scope: ADMIN_SCOPES });
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${ledger.url}/v1${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      // biome-ignore lint/suspicious/noExplicitAny: response bodies are read field by field
      const json = (await response.json()) as Record<string, any>;
      expect(response.status, JSON.stringify(json)).toBeLessThan(300);
      return json;
    };
    // The governor's own migrations ran at its start; the event tables complete its outbox.
    await migrateEventTables(sql);

    const ledgers = await call('GET', '/ledgers');
    const treasury = (
      ledgers.ledgers as { code: string; system_accounts: { treasury: string } }[]
    ).find((l) => l.code === 'AIA')?.system_accounts.treasury as string;
    const accounts: string[] = [];
    for (let i = 0; i < 3; i++)
      accounts.push((await call('POST', '/accounts', { ledger: 'AIA' })).account.id);
    for (const account of accounts) {
      await call('POST', '/transfers', {
        ledger: 'AIA',
        debit_account_id: treasury,
        credit_account_id: account,
        amount: '100.25',
      });
    }
    await call('POST', '/transfers', {
      ledger: 'AIA',
      debit_account_id: accounts[0],
      credit_account_id: accounts[1],
      amount: '0.000000000000000001',
    });
    const pendingId = randomUUID();
    await call('POST', '/transfers', {
      id: pendingId,
      ledger: 'AIA',
      debit_account_id: accounts[1],
      credit_account_id: accounts[2],
      amount: '7',
      pending: {},
    });
    await call('POST', `/transfers/${pendingId}/post`, {});

    const producer = await openBus(
      'redis',
      { redisUrl: redis.url, keyPrefix: redis.keyPrefix },
      'economic-governor',
    );
    const consumer = await openBus('redis', { redisUrl: redis.url, keyPrefix: redis.keyPrefix });
    const received: { id: string; record: LedgerTransferRecord; strict: boolean }[] = [];
    const subscription = await consumer.bus.subscribe({
      topic: 'aia.ledger.transfers.v1',
      sql,
      group: consumerGroup('performance-tracker'),
      handler: async (event) => {
        // The consumer keeps unknown fields; strictly, the governor writes exactly the schema.
        received.push({
          id: event.id,
          record: event.record,
          strict: ledgerTransferRecord.safeParse(event.record).success,
        });
      },
    });
    const relay = producer.bus.startRelay({ sql, pollIntervalMs: 20 });
    try {
      const committed = await sql<
        { id: string; seq: string; amount: string; pending_id: string | null }[]
      >`
        select id, seq, amount::text as amount, pending_id from transfers order by seq`;
      // Genesis mints, three fundings, one tiny transfer, a pending transfer and its post.
      expect(committed.length).toBeGreaterThanOrEqual(7);
      await until('every committed transfer arrived', () => received.length >= committed.length);
      await until(
        'the outbox is empty',
        async () => (await sql`select 1 from outbox`).length === 0,
      );
      expect(received).toHaveLength(committed.length);
      expect(received.every((event) => event.strict)).toBe(true);
      expect(new Set(received.map((event) => event.id)).size).toBe(committed.length);
      expect(received.map((event) => event.record.transfer_id).sort()).toEqual(
        committed.map((t) => t.id).sort(),
      );
      const byId = new Map(received.map((event) => [event.record.transfer_id, event.record]));
      for (const transfer of committed)
        expect(byId.get(transfer.id)?.seq).toBe(Number(transfer.seq));
      expect(received.map((event) => event.record.amount)).toContain('0.000000000000000001');
      expect(received.map((event) => event.record.amount)).toContain('100.25');
      const posted = received.find((event) => event.record.kind === 'post');
      expect(posted?.record.pending_id).toBe(pendingId);
    } finally {
      await relay.stop();
      await subscription.stop();
      await producer.close();
      await consumer.close();
    }
  });
});
