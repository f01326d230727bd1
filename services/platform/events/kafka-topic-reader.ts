import {
  type ClusterMetadata,
  FetchIsolationLevels,
  type fetchV17,
  findErrorBy,
  IS_CONTROL,
  ListOffsetTimestamps,
} from '@platformatic/kafka';

type FetchResponse = fetchV17.FetchResponse;
type FetchRequestTopic = fetchV17.FetchRequestTopic;

import type { Logger } from 'pino';
import type { Backoff } from './backoff.js';
import { type FanOutClient, fanOutConsumer } from './kafka-fan-out-client.js';
import type { KafkaConnectionSettings } from './kafka-transport.js';
import { ReconnectingClient } from './reconnecting-client.js';
import type { TopicReader } from './topic-reader.js';
import type { Delivery } from './transport.js';

export interface KafkaTopicReaderOptions {
  /** Opens a client (again after a broker error). The stacks: `fanOutConsumer(settings)`. */
  readonly open: () => FanOutClient;
  /** Partitions of a topic on this stack (the topic catalog's count); checked against the brokers. */
  readonly partitionsOf: (topic: string) => number;
  readonly logger?: Logger;
  /** Wait before a client is opened again after a broker error. Default 200 ms doubling to 5 s. */
  readonly backoff?: Backoff;
  /** Bytes fetched at most per partition and read. Default 1 MiB. */
  readonly partitionMaxBytes?: number;
}

/** The offset before any record: a partition's position while it is empty. */
const BEFORE_FIRST = -1n;
const DEFAULT_PARTITION_MAX_BYTES = 1_048_576;

/** Kafka offsets compared as integers (`'9'` before `'10'`, `'-1'` before all). */
export function compareOffsets(a: string, b: string): number {
  const [x, y] = [BigInt(a), BigInt(b)];
  return x === y ? 0 : x < y ? -1 : 1;
}

const isOffsetOutOfRange = (error: unknown): boolean =>
  error instanceof Error && findErrorBy(error, 'apiId', 'OFFSET_OUT_OF_RANGE') !== null;

const keyOf = (topic: string, partition: number) => `${topic}:${partition}`;

/** One partition a read wants: its records after `after`. */
interface Wanted {
  readonly topic: string;
  readonly partition: number;
  readonly after: bigint;
}

/** A fetch of one broker in flight, kept across `follow` calls until it answers. */
interface InFlight {
  readonly client: FanOutClient;
  readonly answer: Promise<void>;
  result?: { response: FetchResponse } | { error: unknown };
}

/**
 * The stacks' fan-out reader: plain Kafka fetches at offsets the caller holds, with no consumer
 * group (nothing committed, nothing shared with the services' groups). A position is the offset
 * of a record; `ends` are the last stable offsets minus one, `expired` compares positions with
 * each partition's log start (retention). `follow` fetches from every partition leader at once
 * and answers with the first records any of them returns: a broker with nothing new keeps its
 * fetch waiting for the next call, so one quiet broker does not hold back another's records.
 * When retention removed records the feed had not read yet, `follow` goes on from the oldest
 * kept (a cursor from before the gap is then expired). A broker error closes the client; calls
 * fail at once until a backoff has passed, then another is opened (`ReconnectingClient`).
 * Compacted topics keep their log start: records compaction removed were superseded, so a cursor
 * on them never expires.
 */
export function kafkaTopicReader({
  open,
  partitionsOf,
  logger,
  backoff = { initialMs: 200, maxMs: 5_000 },
  partitionMaxBytes = DEFAULT_PARTITION_MAX_BYTES,
}: KafkaTopicReaderOptions): TopicReader {
  const commands = new ReconnectingClient({ open, backoff, logger, role: 'commands' });
  // Fetches that wait hold their broker's fetch session: waiting reads get a client of their own.
  const waiting = new ReconnectingClient({ open, backoff, logger, role: 'follow' });
  const inFlight = new Map<number, InFlight>();
  /** Offsets `follow` reads from at least, once retention removed records it had not read. */
  const floors = new Map<string, bigint>();
  const partitions = (topic: string) => [...Array(partitionsOf(topic)).keys()];

  const metadataOf = async (client: FanOutClient, topics: readonly string[]) => {
    const metadata = await client.metadata({ topics: [...topics] });
    for (const topic of topics) {
      const brokers = metadata.topics.get(topic)?.partitionsCount;
      if (brokers !== partitionsOf(topic))
        throw new Error(
          `${topic} has ${brokers ?? 'no'} partitions on the brokers, ${partitionsOf(topic)} in the topic catalog: positions would not match`,
        );
    }
    return metadata;
  };

  const offsets = async (topic: string, timestamp: bigint): Promise<bigint[]> =>
    commands.use(async (client) => {
      await metadataOf(client, [topic]);
      const listed = await client.listOffsets({
        topics: [topic],
        timestamp,
        isolationLevel: FetchIsolationLevels.READ_COMMITTED,
      });
      return partitions(topic).map((partition) => listed.get(topic)?.[partition] ?? 0n);
    });

  const fetchRequest = (metadata: ClusterMetadata, wanted: readonly Wanted[]) => {
    const byTopic = new Map<string, FetchRequestTopic>();
    for (const { topic, partition, after } of wanted) {
      const topicId = metadata.topics.get(topic)?.id ?? topic;
      const request = byTopic.get(topic) ?? { topicId, partitions: [] };
      byTopic.set(topic, request);
      const floor = floors.get(keyOf(topic, partition)) ?? 0n;
      request.partitions.push({
        partition,
        fetchOffset: after + 1n > floor ? after + 1n : floor,
        partitionMaxBytes,
        currentLeaderEpoch: -1,
        lastFetchedEpoch: -1,
      });
    }
    return [...byTopic.values()];
  };

  /** Records of `response` after what each partition wants, at most `limit` per partition. */
  const deliveries = (
    metadata: ClusterMetadata,
    response: FetchResponse,
    wanted: ReadonlyMap<string, Wanted>,
    limit: number,
    until?: bigint,
  ): Delivery[] => {
    const names = new Map([...metadata.topics].map(([name, topic]) => [topic.id, name]));
    const read: Delivery[] = [];
    for (const { topicId, partitions: answered } of response.responses) {
      const topic = names.get(topicId) ?? topicId;
      for (const { partitionIndex: partition, records } of answered) {
        const want = wanted.get(keyOf(topic, partition));
        if (!want) continue;
        const floor = floors.get(keyOf(topic, partition)) ?? 0n;
        let taken = 0;
        for (const batch of records ?? []) {
          if (batch.attributes & IS_CONTROL) continue;
          for (const record of batch.records) {
            const offset = batch.firstOffset + BigInt(record.offsetDelta);
            if (offset <= want.after || offset < floor) continue;
            if (until !== undefined && offset > until) continue;
            if (taken >= limit || record.value === null) continue;
            taken++;
            read.push({
              topic,
              partition,
              position: offset.toString(),
              key: record.key?.toString('utf8') ?? '',
              value: record.value.toString('utf8'),
            });
          }
        }
      }
    }
    return read;
  };

  /** After OFFSET_OUT_OF_RANGE: partitions whose next record is gone go on from the oldest kept. */
  const skipRemoved = async (wanted: readonly Wanted[]): Promise<boolean> => {
    let skipped = false;
    for (const topic of new Set(wanted.map((w) => w.topic))) {
      const earliest = await offsets(topic, ListOffsetTimestamps.EARLIEST);
      for (const { partition, after } of wanted.filter((w) => w.topic === topic)) {
        const oldest = earliest[partition] ?? 0n;
        if (after + 1n >= oldest) continue;
        floors.set(keyOf(topic, partition), oldest);
        skipped = true;
        logger?.warn(
          { topic, partition, after: after.toString(), oldest: oldest.toString() },
          'topic reader: records removed by retention before they were read; going on from the oldest kept',
        );
      }
    }
    return skipped;
  };

  return {
    partitionsOf,
    ends: async (topic) =>
      (await offsets(topic, ListOffsetTimestamps.LATEST)).map((end) => (end - 1n).toString()),
    expired: async (topic, after) => {
      const earliest = await offsets(topic, ListOffsetTimestamps.EARLIEST);
      return partitions(topic).filter(
        (partition) => BigInt(after[partition] ?? BEFORE_FIRST) + 1n < (earliest[partition] ?? 0n),
      );
    },
    range: (topic, partition, after, until, limit) =>
      commands.use(async (client) => {
        const metadata = await metadataOf(client, [topic]);
        const leader = metadata.topics.get(topic)?.partitions[partition]?.leader ?? -1;
        const last = BigInt(until);
        const read: Delivery[] = [];
        // A fetch answers whole batches: go on past batches holding nothing to send (markers).
        for (let from = BigInt(after); from < last && read.length < limit; ) {
          const want = { topic, partition, after: from };
          const response = await client.fetch({
            node: leader,
            maxWaitTime: 0,
            minBytes: 0,
            topics: fetchRequest(metadata, [want]),
          });
          const batches = response.responses.flatMap((t) =>
            t.partitions
              .filter((p) => p.partitionIndex === partition)
              .flatMap((p) => p.records ?? []),
          );
          const lastBatch = batches.at(-1);
          if (!lastBatch) break;
          read.push(
            ...deliveries(
              metadata,
              response,
              new Map([[keyOf(topic, partition), want]]),
              limit - read.length,
              last,
            ),
          );
          const next = lastBatch.firstOffset + BigInt(lastBatch.lastOffsetDelta);
          if (next <= from) break;
          from = next;
        }
        return read;
      }),
    follow: async (from, { limit, waitMs }) => {
      const wanted = from.flatMap(({ topic, after }) =>
        partitions(topic).map((partition) => ({
          topic,
          partition,
          after: BigInt(after[partition] ?? BEFORE_FIRST),
        })),
      );
      if (wanted.length === 0) return [];
      const byKey = new Map(wanted.map((w) => [keyOf(w.topic, w.partition), w]));
      return waiting.use(async (client, closed) => {
        const metadata = await metadataOf(client, [...new Set(wanted.map((w) => w.topic))]);
        const byLeader = new Map<number, Wanted[]>();
        for (const want of wanted) {
          const leader = metadata.topics.get(want.topic)?.partitions[want.partition]?.leader ?? -1;
          byLeader.set(leader, [...(byLeader.get(leader) ?? []), want]);
        }
        for (const [node, asked] of byLeader) {
          if (inFlight.get(node)?.client === client) continue;
          const fetch: InFlight = {
            client,
            answer: client
              .fetch({
                node,
                maxWaitTime: waitMs,
                minBytes: 1,
                topics: fetchRequest(metadata, asked),
              })
              .then(
                (response) => {
                  fetch.result = { response };
                },
                (error: unknown) => {
                  fetch.result = { error };
                },
              ),
          };
          inFlight.set(node, fetch);
        }
        const deadline = Date.now() + waitMs;
        for (;;) {
          await Promise.race([...[...inFlight.values()].map((f) => f.answer), closed]);
          const read: Delivery[] = [];
          let failure: { error: unknown } | undefined;
          for (const [node, fetch] of inFlight) {
            if (!fetch.result) continue;
            inFlight.delete(node);
            if ('error' in fetch.result) failure ??= fetch.result;
            else read.push(...deliveries(metadata, fetch.result.response, byKey, limit));
          }
          if (failure) {
            if (isOffsetOutOfRange(failure.error) && (await skipRemoved(wanted))) return read;
            for (const [node, fetch] of inFlight)
              if (fetch.client === client) inFlight.delete(node);
            throw failure.error;
          }
          if (read.length > 0 || inFlight.size === 0 || Date.now() >= deadline) return read;
        }
      });
    },
    compare: compareOffsets,
    close: async () => {
      inFlight.clear();
      await Promise.all([waiting.close(), commands.close()]);
    },
  };
}

/** The reader over the stacks' brokers, connected as the transport is (`kafkaConnection`). */
export const connectKafkaTopicReader = (
  settings: KafkaConnectionSettings,
  options: Omit<KafkaTopicReaderOptions, 'open'>,
): TopicReader => kafkaTopicReader({ ...options, open: () => fanOutConsumer(settings) });
