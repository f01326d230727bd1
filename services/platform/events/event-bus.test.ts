import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createHandledTable,
  keysOutOfOrder,
  openBus,
  openTransport,
  transferRecord,
  transportKinds,
  until,
} from '../../../test/events/fixtures.js';
import { useTestDatabase, useTestRedis } from '../../../test/harness/index.js';
import { deadLetterRecord } from '../../events/schemas/index.js';
import type { Database } from '../db.js';
import { decodeEnvelope, encodeEnvelope, newEnvelope } from './envelope.js';
import { migrateEventTables } from './event-tables.js';
import { EventRecordError, writeEvent } from './outbox.js';
import type { Delivery } from './transport.js';

const TOPIC = 'aia.ledger.transfers.v1';
const GOVERNOR = { producer: 'economic-governor' } as const;
const database = useTestDatabase('event_bus');
const redis = useTestRedis();
let sql: Database;

beforeAll(async () => {
  sql = postgres(database.url, { max: 8, onnotice: () => {} });
  await migrateEventTables(sql);
  await createHandledTable(sql);
});
afterAll(async () => {
  await sql?.end();
});

/** Writes `count` events per key through the outbox, each key's seq rising from 1. */
async function writeOutbox(keys: readonly string[], count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let seq = 1; seq <= count; seq++) {
    await sql.begin(async (tx) => {
      for (const key of keys)
        ids.push(
          await writeEvent(tx as unknown as Database, TOPIC, key, transferRecord(seq), GOVERNOR),
        );
    });
  }
  return ids;
}

/** A handler that records each handling in `handled` as `consumer`. */
const recordAs =
  (consumer: string) =>
  async (event: { id: string; key: string; record: { seq: number } }, { tx }: { tx: Database }) => {
    await tx`insert into handled (consumer, event_id, key, seq)
             values (${consumer}, ${event.id}, ${event.key}, ${event.record.seq})`;
  };

const handledBy = async (consumerLike: string) =>
  Number(
    (
      await sql<
        { n: string }[]
      >`select count(*) as n from handled where consumer like ${consumerLike}`
    )[0]?.n,
  );

/** Reads `<topic>.dlq` with a group of its own until `count` dead letters arrived. */
async function readDeadLetters(
  transport: Awaited<ReturnType<typeof openTransport>>['transport'],
  count: number,
  keys: ReadonlySet<string>,
) {
  const letters: Delivery[] = [];
  const member = await transport.consume({
    group: `dlq-reader-${randomUUID()}`,
    topics: [`${TOPIC}.dlq`],
    handle: async (delivery) => {
      if (keys.has(delivery.key)) letters.push(delivery);
    },
  });
  try {
    await until(`${count} dead letters arrived`, () => letters.length >= count);
  } finally {
    await member.stop();
  }
  return letters.map((delivery) => {
    const decoded = decodeEnvelope(delivery.value);
    if (!decoded.ok) throw new Error(decoded.error);
    return { envelope: decoded.envelope, record: deadLetterRecord.parse(decoded.envelope.record) };
  });
}

describe('writeEvent', () => {
  it('refuses a record that does not match its topic schema, naming the field, and writes nothing', async () => {
    const before = await sql`select count(*) from outbox`;
    await expect(
      sql.begin((tx) =>
        writeEvent(
          tx as unknown as Database,
          TOPIC,
          'k',
          { ...transferRecord(1), amount: '1e3' },
          GOVERNOR,
        ),
      ),
    ).rejects.toThrow(EventRecordError);
    await expect(
      sql.begin((tx) =>
        writeEvent(
          tx as unknown as Database,
          TOPIC,
          'k',
          { ...transferRecord(1), amount: '1e3' },
          GOVERNOR,
        ),
      ),
    ).rejects.toThrow(/amount: expected a decimal string/);
    expect(await sql`select count(*) from outbox`).toEqual(before);
  });

  it('writes nothing when its transaction rolls back', async () => {
    const key = `rollback-${randomUUID()}`;
    await sql
      .begin(async (tx) => {
        await writeEvent(tx as unknown as Database, TOPIC, key, transferRecord(1), GOVERNOR);
        throw new Error('the state change failed');
      })
      .catch(() => {});
    expect(await sql`select 1 from outbox where key = ${key}`).toHaveLength(0);
  });
});

describe.each(transportKinds)('event bus on %s', (kind) => {
  const place = { redisUrl: redis.url, keyPrefix: `${redis.keyPrefix}${kind}:` };

  it('relays the outbox and delivers each event once, in order per key, then empties the outbox', async () => {
    const run = randomUUID();
    const keys = [0, 1, 2, 3].map((i) => `${run}-${i}`);
    const producer = await openBus(kind, place, 'economic-governor');
    const consumer = await openBus(kind, place);
    const consumerName = `order-${run}`;
    const subscription = await consumer.bus.subscribe({
      topic: TOPIC,
      sql,
      group: `order-${run}`,
      handler: async (event, context) => {
        if (keys.includes(event.key)) await recordAs(consumerName)(event, context);
      },
    });
    const relay = producer.bus.startRelay({ sql, batchSize: 7, pollIntervalMs: 20 });
    try {
      const ids = await writeOutbox(keys, 15);
      await until(
        'every event was handled',
        async () => (await handledBy(consumerName)) >= ids.length,
      );
      const handled = await sql<{ event_id: string }[]>`
        select event_id from handled where consumer = ${consumerName}`;
      expect(handled.map((row) => row.event_id).sort()).toEqual([...ids].sort());
      expect(await keysOutOfOrder(sql, consumerName)).toEqual([]);
      await until(
        'the outbox is empty',
        async () => (await sql`select 1 from outbox where key = any(${keys})`).length === 0,
      );
      const published = await producer.registry.getSingleMetricAsString('events_published_total');
      expect(published).toContain(`topic="${TOPIC}"`);
    } finally {
      await relay.stop();
      await subscription.stop();
      await producer.close();
      await consumer.close();
    }
  });

  it('shares the partitions among the members of a group: each event is handled by one member', async () => {
    const run = randomUUID();
    const group = `share-${run}`;
    const members = await Promise.all([openBus(kind, place), openBus(kind, place)]);
    const subscriptions = await Promise.all(
      members.map((member, index) =>
        member.bus.subscribe({
          topic: TOPIC,
          sql,
          group,
          handler: async (event, context) => {
            if (event.key.startsWith(run)) await recordAs(`${group}-${index}`)(event, context);
          },
        }),
      ),
    );
    const publisher = await openBus(kind, place, 'economic-governor');
    try {
      // Publish until both members have handled something: they share the partitions once the
      // second has joined and the first has given up its surplus.
      let published = 0;
      await until('both members handled events', async () => {
        const batch = Array.from({ length: 12 }, (_, i) =>
          newEnvelope({
            topic: TOPIC,
            key: `${run}-${published + i}`,
            schemaVersion: 1,
            producer: 'economic-governor',
            record: transferRecord(1),
          }),
        );
        await publisher.bus.publisher.publish(batch);
        published += batch.length;
        return (await handledBy(`${group}-0`)) > 0 && (await handledBy(`${group}-1`)) > 0;
      });
      await until(
        'every event was handled',
        async () => (await handledBy(`${group}-%`)) >= published,
      );
      const twice = await sql`
        select event_id from handled where consumer like ${`${group}-%`}
         group by event_id having count(*) > 1`;
      expect(twice).toHaveLength(0);
      expect(await handledBy(`${group}-%`)).toBe(published);
    } finally {
      await Promise.all(subscriptions.map((subscription) => subscription.stop()));
      await Promise.all([...members, publisher].map((member) => member.close()));
    }
  });

  it('handles an event delivered three times (same event id) once', async () => {
    const run = randomUUID();
    const consumerName = `dedupe-${run}`;
    const consumer = await openBus(kind, place);
    const subscription = await consumer.bus.subscribe({
      topic: TOPIC,
      sql,
      group: consumerName,
      handler: async (event, context) => {
        if (event.key === run) await recordAs(consumerName)(event, context);
      },
    });
    try {
      const envelope = newEnvelope({
        topic: TOPIC,
        key: run,
        schemaVersion: 1,
        producer: 'economic-governor',
        record: transferRecord(1),
      });
      const last = { ...envelope, id: randomUUID(), record: transferRecord(2) };
      await consumer.bus.publisher.publish([envelope, envelope, envelope, last]);
      await until('the last event was handled', async () => (await handledBy(consumerName)) >= 2);
      const rows = await sql<{ event_id: string }[]>`
        select event_id from handled where consumer = ${consumerName} order by n`;
      expect(rows.map((row) => row.event_id)).toEqual([envelope.id, last.id]);
      const consumed = await consumer.registry.getSingleMetricAsString('events_consumed_total');
      expect(consumed).toMatch(new RegExp(`group="${consumerName}",outcome="duplicate"[^\\n]* 2`));
    } finally {
      await subscription.stop();
      await consumer.close();
    }
  });

  it('retries a failing handler with backoff, then dead-letters the event and goes on with the next', async () => {
    const run = randomUUID();
    const consumerName = `retry-${run}`;
    const consumer = await openBus(kind, place);
    const raw = await openTransport(kind, place);
    let attempts = 0;
    const subscription = await consumer.bus.subscribe({
      topic: TOPIC,
      sql,
      group: consumerName,
      maxAttempts: 3,
      backoff: { initialMs: 5, maxMs: 20 },
      handler: async (event, context) => {
        if (event.key !== run) return;
        await recordAs(consumerName)(event, context);
        if (event.record.seq === 1) {
          attempts++;
          throw new Error('the ranking service refused the transfer');
        }
      },
    });
    try {
      const poisoned = newEnvelope({
        topic: TOPIC,
        key: run,
        schemaVersion: 1,
        producer: 'economic-governor',
        record: transferRecord(1),
      });
      const next = { ...poisoned, id: randomUUID(), record: transferRecord(2) };
      await consumer.bus.publisher.publish([poisoned, next]);
      const [letter] = await readDeadLetters(raw.transport, 1, new Set([run]));
      expect(attempts).toBe(3);
      expect(letter?.record).toMatchObject({
        source_topic: TOPIC,
        source_event_id: poisoned.id,
        consumer_group: consumerName,
        reason: 'handler',
        attempts: 3,
        error: 'the ranking service refused the transfer',
        record: encodeEnvelope(poisoned),
      });
      expect(letter?.envelope.topic).toBe(`${TOPIC}.dlq`);
      await until('the next event was handled', async () => {
        const rows = await sql`select 1 from handled where consumer = ${consumerName} and seq = 2`;
        return rows.length === 1;
      });
      // The failed attempts rolled back with their transactions: neither handled nor processed.
      expect(
        await sql`select 1 from handled where consumer = ${consumerName} and seq = 1`,
      ).toHaveLength(0);
      expect(
        await sql`select 1 from processed_events
                  where consumer_group = ${consumerName} and event_id = ${poisoned.id}`,
      ).toHaveLength(0);
      const metrics = await consumer.registry.metrics();
      expect(metrics).toMatch(
        new RegExp(`events_retried_total\\{[^}]*group="${consumerName}"[^}]*\\} 2`),
      );
      expect(metrics).toMatch(
        new RegExp(
          `events_dead_lettered_total\\{[^}]*group="${consumerName}",reason="handler"[^}]*\\} 1`,
        ),
      );
    } finally {
      await subscription.stop();
      await consumer.close();
      await raw.close();
    }
  });

  it('dead-letters a record that fails its schema or is no envelope at once, without calling the handler', async () => {
    const run = randomUUID();
    const consumerName = `schema-${run}`;
    const consumer = await openBus(kind, place);
    const raw = await openTransport(kind, place);
    const seen: string[] = [];
    const subscription = await consumer.bus.subscribe({
      topic: TOPIC,
      sql,
      group: consumerName,
      handler: async (event) => {
        if (event.key === run) seen.push(event.id);
      },
    });
    try {
      const badAmount = newEnvelope({
        topic: TOPIC,
        key: run,
        schemaVersion: 1,
        producer: 'economic-governor',
        record: { ...transferRecord(1), amount: 12.5 },
      });
      const good = { ...badAmount, id: randomUUID(), record: transferRecord(2) };
      await raw.transport.publish([
        { topic: TOPIC, key: run, value: encodeEnvelope(badAmount) },
        { topic: TOPIC, key: run, value: 'not json at all' },
        { topic: TOPIC, key: run, value: encodeEnvelope(good) },
      ]);
      const letters = await readDeadLetters(raw.transport, 2, new Set([run]));
      const byEvent = letters.map(({ record }) => ({
        id: record.source_event_id,
        reason: record.reason,
        attempts: record.attempts,
        error: record.error,
      }));
      expect(byEvent).toEqual([
        {
          id: badAmount.id,
          reason: 'schema',
          attempts: 0,
          error: expect.stringContaining('amount'),
        },
        { id: null, reason: 'schema', attempts: 0, error: 'the record is not JSON' },
      ]);
      await until('the valid event was handled', () => seen.length === 1);
      expect(seen).toEqual([good.id]);
    } finally {
      await subscription.stop();
      await consumer.close();
      await raw.close();
    }
  });
});
