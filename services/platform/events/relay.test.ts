import { randomUUID } from 'node:crypto';
import pino from 'pino';
import postgres from 'postgres';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transferRecord, until } from '../../../test/events/fixtures.js';
import { useTestDatabase } from '../../../test/harness/index.js';
import type { Database } from '../db.js';
import { decodeEnvelope } from './envelope.js';
import { migrateEventTables } from './event-tables.js';
import { eventMetrics } from './metrics.js';
import { EventRecordError, writeEvent } from './outbox.js';
import { type Relay, startRelay } from './relay.js';
import type { EventTransport, WireRecord } from './transport.js';

const TOPIC = 'aia.ledger.transfers.v1';
const GOVERNOR = { producer: 'economic-governor' } as const;
const database = useTestDatabase('event_relay');
const silent = pino({ level: 'silent' });
let sql: Database;

beforeAll(async () => {
  sql = postgres(database.url, { max: 4, onnotice: () => {} });
  await migrateEventTables(sql);
});
afterAll(async () => {
  await sql?.end();
});

/** A transport that keeps what it was given; its first `failures` publishes reject. */
function recordingTransport(failures = 0) {
  const published: WireRecord[] = [];
  let rejected = 0;
  const transport: EventTransport = {
    kind: 'redis',
    publish: async (records) => {
      if (rejected < failures) {
        rejected++;
        throw new Error('the broker refused the batch');
      }
      published.push(...records);
    },
    consume: async () => {
      throw new Error('not a consumer');
    },
    readiness: async () => {},
    close: async () => {},
  };
  return { transport, published, rejections: () => rejected };
}

const relayOn = (
  pool: Database,
  transport: EventTransport,
  producer = 'economic-governor',
): Relay =>
  startRelay(
    { sql: pool, pollIntervalMs: 20, leaderRetryMs: 50 },
    { transport, producer, logger: silent, metrics: eventMetrics(new Registry()) },
  );

/** Advisory locks granted in this test's database, to any session. */
const advisoryLocks = async (): Promise<number> =>
  Number(
    (
      await sql<{ n: string }[]>`
        select count(*) as n from pg_locks
         where locktype = 'advisory' and granted
           and database = (select oid from pg_database where datname = current_database())`
    )[0]?.n,
  );

describe('relay leadership', () => {
  it('gives its lock up when a publish fails, so another relay leads while its pool lives on', async () => {
    const key = `leak-${randomUUID()}`;
    await sql.begin((tx) =>
      writeEvent(tx as unknown as Database, TOPIC, key, transferRecord(1), GOVERNOR),
    );
    // The first relay's pool stays open throughout: a lock left on one of its pooled
    // connections would outlive the relay.
    const firstPool = postgres(database.url, { max: 2, onnotice: () => {} });
    const first = recordingTransport(1);
    const second = recordingTransport();
    const failing = relayOn(firstPool, first.transport);
    let other: Relay | undefined;
    try {
      await until('the first relay led and its publish failed', () => first.rejections() === 1);
      await failing.stop();
      expect(first.published).toEqual([]);
      expect(await advisoryLocks()).toBe(0);

      other = relayOn(sql, second.transport);
      await until('the other relay led and published the event', () =>
        second.published.some((record) => record.key === key),
      );
      const [record] = second.published.filter((r) => r.key === key);
      const decoded = decodeEnvelope(record?.value ?? '');
      expect(decoded.ok && decoded.envelope.producer).toBe('economic-governor');
      expect(await sql`select 1 from outbox where key = ${key}`).toHaveLength(0);
    } finally {
      await other?.stop();
      await failing.stop();
      await firstPool.end();
    }
    expect(await advisoryLocks()).toBe(0);
  });

  it('leads again itself after a failed publish, and publishes what failed', async () => {
    const key = `again-${randomUUID()}`;
    await sql.begin((tx) =>
      writeEvent(tx as unknown as Database, TOPIC, key, transferRecord(1), GOVERNOR),
    );
    const { transport, published, rejections } = recordingTransport(1);
    const relay = relayOn(sql, transport);
    try {
      await until('the failed batch was published on the next try', () =>
        published.some((record) => record.key === key),
      );
      expect(rejections()).toBe(1);
    } finally {
      await relay.stop();
    }
    expect(await advisoryLocks()).toBe(0);
  });
});

describe('services sharing one database', () => {
  it("each service's relay publishes its own rows, as their producer, leading at the same time", async () => {
    const run = randomUUID();
    const task = {
      task_id: randomUUID(),
      agent_id: randomUUID(),
      delegated_by: null,
      parent_task_id: null,
      skill: 'research',
      created_at: new Date().toISOString(),
    };
    await sql.begin(async (tx) => {
      await writeEvent(tx as unknown as Database, TOPIC, `${run}-own`, transferRecord(1), GOVERNOR);
      await writeEvent(tx as unknown as Database, 'aia.agents.tasks.v1', `${run}-task`, task, {
        producer: 'agent-orchestrator',
      });
      // As the economic governor's SQL writes transfers: no producer named.
      await tx`insert into outbox (topic, key, payload)
               values (${TOPIC}, ${`${run}-unattributed`}, ${tx.json({ ...transferRecord(2) })})`;
    });
    const governor = recordingTransport();
    const orchestrator = recordingTransport();
    const relays = [
      relayOn(sql, governor.transport, 'economic-governor'),
      relayOn(sql, orchestrator.transport, 'agent-orchestrator'),
    ];
    const ours = (records: readonly WireRecord[]) =>
      records.filter((record) => record.key.startsWith(run));
    const producers = (records: readonly WireRecord[]) =>
      ours(records).map((record) => {
        const decoded = decodeEnvelope(record.value);
        return [record.key, decoded.ok ? decoded.envelope.producer : decoded.error];
      });
    try {
      await until('both relays published', async () => {
        const left = await sql`select 1 from outbox where key like ${`${run}-%`}`;
        return left.length === 0;
      });
      expect(producers(governor.published).sort()).toEqual([
        [`${run}-own`, 'economic-governor'],
        [`${run}-unattributed`, 'economic-governor'],
      ]);
      expect(producers(orchestrator.published)).toEqual([[`${run}-task`, 'agent-orchestrator']]);
      // Each leads under a lock of its own.
      expect(await advisoryLocks()).toBe(2);
    } finally {
      for (const relay of relays) await relay.stop();
    }
  });

  it('writeEvent refuses a producer the topic does not declare, and writes nothing', async () => {
    const key = `stranger-${randomUUID()}`;
    await expect(
      sql.begin((tx) =>
        writeEvent(tx as unknown as Database, TOPIC, key, transferRecord(1), {
          producer: 'agent-orchestrator' as 'economic-governor',
        }),
      ),
    ).rejects.toThrow(EventRecordError);
    expect(await sql`select 1 from outbox where key = ${key}`).toHaveLength(0);
  });
});
