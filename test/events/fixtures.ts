import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { LedgerTransferRecord } from '../../services/events/schemas/index.js';
import type { Database } from '../../services/platform/db.js';
import { connectEventBus, type EventBus } from '../../services/platform/events/index.js';
import { connectKafka } from '../../services/platform/events/kafka-transport.js';
import { connectRedisStreams } from '../../services/platform/events/redis-streams-transport.js';
import type { EventTransport } from '../../services/platform/events/transport.js';
import { createRedis } from '../../services/platform/redis.js';

export type TransportKind = 'redis' | 'kafka';

/**
 * The transports the contract suites run against: Redis Streams always, Kafka whenever
 * KAFKA_BROKERS is set (then KAFKA_USERNAME, KAFKA_PASSWORD and KAFKA_CA_CERT_FILE are used too).
 */
export const transportKinds: TransportKind[] = process.env.KAFKA_BROKERS
  ? ['redis', 'kafka']
  : ['redis'];

/** Where one test's bus lives: a Redis key prefix of its own (Kafka topics are shared). */
export interface BusPlace {
  readonly redisUrl: string;
  readonly keyPrefix: string;
}

/** Short leases and blocking reads, so a dead member's partitions move within about a second. */
export const FAST_LEASES = { leaseMs: 1_000, blockMs: 200 } as const;

/** Quiet unless EVENT_TEST_LOG names a level (`EVENT_TEST_LOG=debug npx vitest run ...`). */
const silent = pino({ level: process.env.EVENT_TEST_LOG ?? 'silent' });

/** The bus configuration for `kind`, as a service would parse it from its environment. */
export const busConfig = (kind: TransportKind) =>
  kind === 'kafka'
    ? {
        EVENT_TRANSPORT: 'kafka' as const,
        KAFKA_BROKERS: process.env.KAFKA_BROKERS,
        KAFKA_USERNAME: process.env.KAFKA_USERNAME,
        KAFKA_PASSWORD: process.env.KAFKA_PASSWORD,
        KAFKA_CA_CERT_FILE: process.env.KAFKA_CA_CERT_FILE,
      }
    : { EVENT_TRANSPORT: 'redis' as const };

/** A service's bus on `kind`, with a registry of its own; `close()` closes its Redis client too. */
export async function openBus(
  kind: TransportKind,
  place: BusPlace,
  service = 'performance-tracker',
): Promise<{ bus: EventBus; registry: Registry; close(): Promise<void> }> {
  const registry = new Registry();
  const redis = createRedis({ url: place.redisUrl });
  const bus = await connectEventBus({
    service,
    config: busConfig(kind),
    redis,
    logger: silent,
    registry,
    redisStreams: { keyPrefix: `${place.keyPrefix}events:`, ...FAST_LEASES },
  });
  return {
    bus,
    registry,
    close: async () => {
      await bus.close();
      redis.disconnect();
    },
  };
}

/** A bare transport on the same place, to read dead-letter topics or write raw records. */
export async function openTransport(
  kind: TransportKind,
  place: BusPlace,
): Promise<{ transport: EventTransport; close(): Promise<void> }> {
  if (kind === 'kafka') {
    const config = busConfig('kafka');
    const { readKafkaCa, kafkaBrokersOf } = await import('../../services/platform/events/env.js');
    const transport = connectKafka({
      brokers: kafkaBrokersOf(String(config.KAFKA_BROKERS)),
      clientId: 'event-bus-tests',
      ...(config.KAFKA_USERNAME && config.KAFKA_PASSWORD
        ? { sasl: { username: config.KAFKA_USERNAME, password: config.KAFKA_PASSWORD } }
        : {}),
      ...(config.KAFKA_CA_CERT_FILE ? { ca: readKafkaCa('tests', config.KAFKA_CA_CERT_FILE) } : {}),
    });
    return { transport, close: () => transport.close() };
  }
  const redis: Redis = createRedis({ url: place.redisUrl });
  const transport = await connectRedisStreams({
    redis,
    keyPrefix: `${place.keyPrefix}events:`,
    ...FAST_LEASES,
  });
  return {
    transport,
    close: async () => {
      await transport.close();
      redis.disconnect();
    },
  };
}

/** A valid `aia.ledger.transfers.v1` record; `seq` orders the records of one test key. */
export const transferRecord = (seq: number): LedgerTransferRecord => ({
  transfer_id: randomUUID(),
  seq,
  ledger: 'AIA',
  kind: 'transfer',
  debit_account_id: randomUUID(),
  credit_account_id: randomUUID(),
  amount: '12.5',
  pending_id: null,
  audit_id: seq,
  created_at: new Date().toISOString(),
});

/** What handlers record, one row per handling, in the handler's transaction. */
export async function createHandledTable(sql: Database): Promise<void> {
  await sql`
    create table if not exists handled (
      n bigint generated always as identity primary key,
      consumer text not null,
      event_id uuid not null,
      key text not null,
      seq integer not null
    )`;
}

/** Polls `condition` every 50 ms until it holds; fails with `what` after `timeoutMs`. */
export async function until(
  what: string,
  condition: () => Promise<boolean> | boolean,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(50);
  }
}

/** Checks that, per key, the handled seq values rose in handling order; returns the bad keys. */
export async function keysOutOfOrder(sql: Database, consumerLike = '%'): Promise<string[]> {
  const rows = await sql<{ key: string }[]>`
    select key from (
      select key, seq, lag(seq) over (partition by key order by n) as previous
        from handled where consumer like ${consumerLike}) s
     where previous is not null and seq <= previous
     group by key`;
  return rows.map((row) => row.key);
}
