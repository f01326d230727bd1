import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { logRedisErrors } from '../redis.js';
import { localPartitionsOf } from './partitioning.js';
import { KEY_FIELD, type StreamEntry, VALUE_FIELD } from './redis-streams-transport.js';
import type { TopicReader } from './topic-reader.js';
import type { Delivery } from './transport.js';

export interface RedisTopicReaderOptions {
  /** A client to copy the connection settings of; it is not used itself. */
  readonly redis: Redis;
  /** The transport's key prefix (default `aia:events:`, as `connectRedisStreams`). */
  readonly keyPrefix?: string;
  readonly logger?: Logger;
  /** Partitions of a topic. Default: the staging count, as the transport. */
  readonly partitionsOf?: (topic: string) => number;
}

/** The position before any entry of a stream. */
const START = '0-0';

/** `ms-seq` stream ids as two integers, compared numerically. */
export function compareStreamIds(a: string, b: string): number {
  const [aMs = 0n, aSeq = 0n] = a.split('-').map(BigInt);
  const [bMs = 0n, bSeq = 0n] = b.split('-').map(BigInt);
  if (aMs !== bMs) return aMs < bMs ? -1 : 1;
  if (aSeq !== bSeq) return aSeq < bSeq ? -1 : 1;
  return 0;
}

/** A flat `XINFO STREAM` reply as a map of its fields. */
const infoFields = (reply: unknown[]): Map<string, unknown> => {
  const fields = new Map<string, unknown>();
  for (let index = 0; index + 1 < reply.length; index += 2)
    fields.set(String(reply[index]), reply[index + 1]);
  return fields;
};

/**
 * Whether a stream (its `XINFO STREAM` fields) lost records after `position`. Trimming removes
 * the oldest entries and leaves `recorded-first-entry-id` as the oldest kept (the whole stream
 * when empty, up to `last-generated-id`); `XDEL` moves `max-deleted-entry-id`. A position before
 * the oldest kept entry of a stream that lost entries counts as expired even when only entries up
 * to it were removed: a stream does not say which ids it dropped.
 */
function removedAfter(fields: Map<string, unknown>, position: string): boolean {
  const deleted = fields.get('max-deleted-entry-id');
  if (typeof deleted === 'string' && compareStreamIds(position, deleted) < 0) return true;
  const length = Number(fields.get('length') ?? 0);
  if (Number(fields.get('entries-added') ?? length) <= length) return false;
  // Empty, every entry up to the last one was removed.
  const oldestKept =
    length > 0 ? fields.get('recorded-first-entry-id') : fields.get('last-generated-id');
  return typeof oldestKept === 'string' && compareStreamIds(position, oldestKept) < 0;
}

/** The longest a waiting read blocks; longer waits are cut to it (the caller reads again). */
const MAX_WAIT_MS = 30_000;
/** How much longer than its block a waiting read may take before its connection counts as dead. */
const WAIT_TIMEOUT_MARGIN_MS = 5_000;

/**
 * The local transport's fan-out reader: plain `XREAD`/`XRANGE` over the streams
 * `connectRedisStreams` writes, no group. Retention: a stream's `max-deleted-entry-id` (Redis 7)
 * `recorded-first-entry-id` and `entries-added` (Redis 7) say whether `MINID`
 * trimming removed records after a position.
 */
export function connectRedisTopicReader({
  redis: template,
  keyPrefix = 'aia:events:',
  logger,
  partitionsOf = localPartitionsOf,
}: RedisTopicReaderOptions): TopicReader {
  const commands = logRedisErrors(
    template.duplicate({ keyPrefix, commandTimeout: 5_000 }),
    logger,
    'topic reader: redis',
  );
  // A blocking XREAD holds its connection: waiting reads get one of their own, whose command
  // timeout outlasts the longest wait (the service's client times commands out after 1 s, which
  // a 1 s BLOCK always exceeds), so only a dead connection times out.
  const waiting = logRedisErrors(
    template.duplicate({ keyPrefix, commandTimeout: MAX_WAIT_MS + WAIT_TIMEOUT_MARGIN_MS }),
    logger,
    'topic reader: redis',
  );
  /** Connects a lazy client once (the service's clients do not queue commands offline). */
  const connecting = new WeakMap<Redis, Promise<unknown>>();
  const connected = async (client: Redis) => {
    if (client.status === 'wait')
      connecting.set(
        client,
        client.connect().catch(() => {}),
      );
    await connecting.get(client);
    return client;
  };
  const streamKey = (topic: string, partition: number) => `${topic}:${partition}`;
  const partitions = (topic: string) => [...Array(partitionsOf(topic)).keys()];

  const info = async (topic: string, partition: number) => {
    try {
      return infoFields(
        (await (
          await connected(commands)
        ).xinfo('STREAM', streamKey(topic, partition))) as unknown[],
      );
    } catch (error) {
      if (error instanceof Error && /no such key/i.test(error.message)) return undefined;
      throw error;
    }
  };

  const delivery = (topic: string, partition: number, [id, fields]: StreamEntry): Delivery[] => {
    const field = (name: string) => (fields ? fields[fields.indexOf(name) + 1] : undefined);
    const value = field(VALUE_FIELD);
    return value === undefined
      ? []
      : [{ topic, partition, position: id, key: field(KEY_FIELD) ?? '', value }];
  };

  return {
    partitionsOf,
    ends: (topic) =>
      Promise.all(
        partitions(topic).map(async (partition) =>
          String((await info(topic, partition))?.get('last-generated-id') ?? START),
        ),
      ),
    expired: async (topic, after) => {
      const gone: number[] = [];
      for (const partition of partitions(topic)) {
        const fields = await info(topic, partition);
        if (fields && removedAfter(fields, after[partition] ?? START)) gone.push(partition);
      }
      return gone;
    },
    range: async (topic, partition, after, until, limit) => {
      const entries = (await (
        await connected(commands)
      ).xrange(streamKey(topic, partition), `(${after}`, until, 'COUNT', limit)) as StreamEntry[];
      return entries.flatMap((entry) => delivery(topic, partition, entry));
    },
    follow: async (from, { limit, waitMs }) => {
      const streams = from.flatMap(({ topic, after }) =>
        partitions(topic).map((partition) => ({
          topic,
          partition,
          key: streamKey(topic, partition),
          after: after[partition] ?? START,
        })),
      );
      if (streams.length === 0) return [];
      const reply = (await (
        await connected(waiting)
      ).xread(
        'COUNT',
        limit,
        'BLOCK',
        Math.min(Math.max(waitMs, 1), MAX_WAIT_MS),
        'STREAMS',
        ...streams.map((stream) => stream.key),
        ...streams.map((stream) => stream.after),
      )) as [string, StreamEntry[]][] | null;
      return (reply ?? []).flatMap(([prefixed, entries]) => {
        const stream = streams.find((s) => s.key === prefixed.slice(keyPrefix.length));
        return stream
          ? entries.flatMap((entry) => delivery(stream.topic, stream.partition, entry))
          : [];
      });
    },
    compare: compareStreamIds,
    close: async () => {
      waiting.disconnect();
      await commands.quit().catch(() => commands.disconnect());
    },
  };
}
