import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { logRedisErrors } from '../redis.js';
import { type Backoff, backoffDelay } from './backoff.js';
import { PartitionLeases } from './partition-leases.js';
import { localPartitionsOf, localRetentionMsOf, partitionOf } from './partitioning.js';
import {
  assertMembersReading,
  type ConsumeOptions,
  type Delivery,
  type EventTransport,
  errorMessage,
  type GroupMember,
  type GroupMemberHealth,
  type WireRecord,
} from './transport.js';

export interface RedisStreamsOptions {
  /** A client to copy the connection settings (URL, TLS, auth) of; it is not used itself. */
  readonly redis: Redis;
  /**
   * Prefix of every key the transport writes, shared by all services (not a service's own
   * prefix: producers and consumers must meet). Default `aia:events:`.
   */
  readonly keyPrefix?: string;
  readonly logger?: Logger;
  /** Partitions of a topic. Default: the staging count in the topic catalog. */
  readonly partitionsOf?: (topic: string) => number;
  /** A member that has not renewed its partitions for this long loses them. Default 10 s. */
  readonly leaseMs?: number;
  /** Longest wait of a blocking read; also how soon a new partition is read. Default 1 s. */
  readonly blockMs?: number;
  /** Records read at once per partition. Default 100. */
  readonly batchSize?: number;
  /** Waits between attempts to join a group while Redis does not answer. Default 500 ms to 10 s. */
  readonly joinBackoff?: Backoff;
}

/** Fields of a stream entry: the record's key and its envelope (also read by `redis-topic-reader`). */
export const KEY_FIELD = 'k';
export const VALUE_FIELD = 'e';

export type StreamEntry = [id: string, fields: string[] | null];

/**
 * The local transport: one Redis stream per topic partition (`<prefix><topic>:<partition>`),
 * records partitioned by key hash, consumer groups with `XREADGROUP`/`XACK`. A partition is read
 * by one member at a time (see `PartitionLeases`), which first claims with `XAUTOCLAIM` what a
 * dead member left pending, so order per key and at-least-once hold as on Kafka. Streams of
 * `delete` topics are trimmed to the topic's retention (`MINID`); compacted topics are kept whole.
 */
export async function connectRedisStreams({
  redis: template,
  keyPrefix = 'aia:events:',
  logger,
  partitionsOf = localPartitionsOf,
  leaseMs = 10_000,
  blockMs = 1_000,
  batchSize = 100,
  joinBackoff = { initialMs: 500, maxMs: 10_000 },
}: RedisStreamsOptions): Promise<EventTransport> {
  const commands = logRedisErrors(
    template.duplicate({ keyPrefix, commandTimeout: 5_000 }),
    logger,
    'event bus: redis',
  );
  await commands.connect().catch((error: Error) => {
    logger?.warn({ err: error }, 'event bus: redis not reachable at start; retrying');
  });
  /** Running members, with where each is (for readiness). */
  const members = new Map<GroupMember, () => GroupMemberHealth & { group: string }>();
  const streamKey = (topic: string, partition: number) => `${topic}:${partition}`;

  const publish = async (records: readonly WireRecord[]) => {
    if (records.length === 0) return;
    const now = Date.now();
    const batch = commands.multi();
    for (const { topic, key, value } of records) {
      const stream = streamKey(topic, partitionOf(key, partitionsOf(topic)));
      const retentionMs = localRetentionMsOf(topic);
      if (retentionMs === undefined) batch.xadd(stream, '*', KEY_FIELD, key, VALUE_FIELD, value);
      else
        batch.xadd(
          stream,
          'MINID',
          '~',
          String(now - retentionMs),
          '*',
          KEY_FIELD,
          key,
          VALUE_FIELD,
          value,
        );
    }
    const results = await batch.exec();
    const failed = results?.find(([error]) => error !== null);
    if (!results || failed) throw failed?.[0] ?? new Error('redis discarded the transaction');
  };

  const consume = async ({ group, topics, handle }: ConsumeOptions): Promise<GroupMember> => {
    const member = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    let health: GroupMemberHealth = { state: 'joining' };
    const reader = logRedisErrors(
      template.duplicate({ keyPrefix, commandTimeout: blockMs + 5_000 }),
      logger,
      'event bus: redis',
    );
    const leases = topics.map(
      (topic) =>
        new PartitionLeases({
          redis: commands,
          group,
          topic,
          partitions: partitionsOf(topic),
          member,
          leaseMs,
        }),
    );
    let stopped = false;
    const stopping = new AbortController();
    /** Waits `ms`, cut short when the member stops. */
    const pause = (ms: number) => sleep(ms, undefined, { signal: stopping.signal }).catch(() => {});
    /** Records not handled in this pass of the loop: the next pass waits a little first. */
    let failures = 0;
    let ticking: Promise<void> = Promise.resolve();
    const tick = () => {
      ticking = ticking
        .then(async () => {
          for (const lease of leases) await lease.tick();
        })
        .catch((error: Error) =>
          logger?.warn({ err: error, group }, 'event bus: lease renewal failed'),
        );
      return ticking;
    };
    let timer: NodeJS.Timeout | undefined;

    /**
     * Connects and creates the group on every partition, again with backoff until Redis
     * answers: a Redis down at start must not fail or hang the service's start (readiness says
     * so meanwhile). False when the member stopped first.
     */
    const join = async (): Promise<boolean> => {
      for (let attempt = 1; !stopped; attempt++) {
        try {
          if (reader.status === 'wait') await reader.connect();
          for (const topic of topics) {
            for (let partition = 0; partition < partitionsOf(topic); partition++) {
              await commands
                .xgroup('CREATE', streamKey(topic, partition), group, '0', 'MKSTREAM')
                .catch((error: Error) => {
                  if (!error.message.includes('BUSYGROUP')) throw error;
                });
            }
          }
          return true;
        } catch (error) {
          if (stopped) return false;
          const delay = backoffDelay(attempt, joinBackoff);
          health = { state: 'failed', error: errorMessage(error) };
          logger?.warn(
            { err: error, group, retryInMs: delay },
            'event bus: cannot join the consumer group; trying again',
          );
          await pause(delay);
        }
      }
      return false;
    };

    /** Handles one entry; false when it failed (the partition then starts over from its pending records). */
    const deliver = async (
      lease: PartitionLeases,
      topic: string,
      partition: number,
      [id, fields]: StreamEntry,
    ): Promise<boolean> => {
      const stream = streamKey(topic, partition);
      const field = (name: string) => (fields ? fields[fields.indexOf(name) + 1] : undefined);
      const value = field(VALUE_FIELD);
      if (value === undefined) {
        // Trimmed away (past retention) while pending: nothing left to handle.
        await commands.xack(stream, group, id);
        return true;
      }
      const delivery: Delivery = {
        topic,
        partition,
        position: id,
        key: field(KEY_FIELD) ?? '',
        value,
      };
      try {
        await handle(delivery);
      } catch (error) {
        if (!stopped)
          logger?.warn(
            { err: error, topic, partition, group },
            'event bus: record not handled; it will be delivered again',
          );
        lease.taken.add(partition);
        failures++;
        return false;
      }
      await commands.xack(stream, group, id);
      return true;
    };

    /** Takes over what any member left pending on a partition just taken, in stream order. */
    const recover = async (lease: PartitionLeases, topic: string, partition: number) => {
      let cursor = '0-0';
      do {
        const [next, entries] = (await commands.xautoclaim(
          streamKey(topic, partition),
          group,
          member,
          0,
          cursor,
          'COUNT',
          batchSize,
        )) as [string, StreamEntry[]];
        for (const entry of entries) {
          if (stopped || !lease.owned.has(partition)) return;
          if (!(await deliver(lease, topic, partition, entry))) return;
        }
        cursor = next;
      } while (cursor !== '0-0');
      lease.taken.delete(partition);
    };

    const loop = async () => {
      while (!stopped) {
        if (failures > 0) {
          failures = 0;
          await pause(1_000);
        }
        try {
          const owned: { lease: PartitionLeases; topic: string; partition: number }[] = [];
          for (const [index, lease] of leases.entries()) {
            const topic = topics[index] as string;
            for (const partition of [...lease.surplus]) await lease.release(partition);
            for (const partition of [...lease.taken]) await recover(lease, topic, partition);
            for (const partition of lease.owned)
              if (!lease.taken.has(partition)) owned.push({ lease, topic, partition });
          }
          if (owned.length === 0) {
            // The other members hold every partition: nothing to read, nothing wrong.
            health = { state: 'reading' };
            await pause(Math.min(blockMs, 200));
            continue;
          }
          const keys = owned.map(({ topic, partition }) => streamKey(topic, partition));
          const result = (await reader.xreadgroup(
            'GROUP',
            group,
            member,
            'COUNT',
            batchSize,
            'BLOCK',
            blockMs,
            'STREAMS',
            ...keys,
            ...keys.map(() => '>'),
          )) as [string, StreamEntry[]][] | null;
          health = { state: 'reading' };
          for (const [prefixed, entries] of result ?? []) {
            const source = owned[keys.indexOf(prefixed.slice(keyPrefix.length))];
            if (!source) continue;
            for (const entry of entries) {
              if (stopped || !source.lease.owned.has(source.partition)) break;
              if (!(await deliver(source.lease, source.topic, source.partition, entry))) break;
            }
          }
        } catch (error) {
          if (stopped) break;
          logger?.warn({ err: error, group }, 'event bus: reading failed; retrying');
          health = { state: 'failed', error: errorMessage(error) };
          // Records read but not handled stay pending: take them up again first.
          for (const lease of leases)
            for (const partition of lease.owned) lease.taken.add(partition);
          await pause(1_000);
        }
      }
    };
    const running = (async () => {
      if (!(await join())) return;
      await tick();
      timer = setInterval(tick, Math.max(50, Math.floor(leaseMs / 3)));
      health = { state: 'reading' };
      await loop();
    })();
    const handleOfMember: GroupMember = {
      stop: async () => {
        if (stopped) return;
        stopped = true;
        stopping.abort();
        clearInterval(timer);
        reader.disconnect();
        await running;
        await ticking;
        for (const lease of leases) await lease.releaseAll().catch(() => {});
        members.delete(handleOfMember);
      },
    };
    members.set(handleOfMember, () => ({ group, ...health }));
    return handleOfMember;
  };

  return {
    kind: 'redis',
    publish,
    consume,
    readiness: async () => {
      await commands.ping();
      assertMembersReading([...members.values()].map((healthOf) => healthOf()));
    },
    close: async () => {
      for (const member of [...members.keys()]) await member.stop();
      await commands.quit().catch(() => commands.disconnect());
    },
  };
}
