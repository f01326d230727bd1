import { randomUUID } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type ClusterMetadata,
  type FetchOptions,
  type fetchV17,
  IS_CONTROL,
  type ListOffsetsOptions,
  ListOffsetTimestamps,
  type MetadataOptions,
  NetworkError,
  type Offsets,
  ResponseError,
} from '@platformatic/kafka';
import { afterEach, describe, expect, it } from 'vitest';
import { busConfig, openTransport, transportKinds } from '../../../test/events/fixtures.js';
import { kafkaSettingsOf } from './env.js';
import { decodeEnvelope, encodeEnvelope, newEnvelope } from './envelope.js';
import type { FanOutClient } from './kafka-fan-out-client.js';
import { compareOffsets, connectKafkaTopicReader, kafkaTopicReader } from './kafka-topic-reader.js';
import { kafkaPartitionsOf } from './partitioning.js';
import type { TopicReader } from './topic-reader.js';
import type { Delivery } from './transport.js';

const TASKS = 'aia.agents.tasks.v1';
const RUNS = 'aia.agents.runs.v1';
/** Fetch's API key in the Kafka protocol, for errors shaped as the client raises them. */
const FETCH_API_KEY = 1;
const OFFSET_OUT_OF_RANGE_CODE = 1;

interface Batch {
  readonly firstOffset: bigint;
  readonly control: boolean;
  readonly values: readonly (string | null)[];
}

/** One partition's log: batches appended in order, and its log start (retention). */
interface Log {
  readonly leader: number;
  readonly batches: Batch[];
  start: bigint;
  end: bigint;
}

/**
 * A Kafka cluster held in memory, serving the calls a fan-out reader makes (Kafka does not run
 * here): metadata, offset listing, fetches that wait up to `maxWaitTime` for records, and
 * OFFSET_OUT_OF_RANGE below a partition's log start, as the broker answers. Every client it
 * opens is kept, to see what the reader asked and whether it was closed.
 */
class ScriptedCluster {
  readonly clients: ScriptedClient[] = [];
  /** Errors the next requests fail with, one each (a broker that went away). */
  readonly failures: Error[] = [];
  readonly appended = new EventEmitter();
  private readonly logs = new Map<string, Log[]>();

  constructor(layout: Record<string, readonly number[]>) {
    for (const [topic, leaders] of Object.entries(layout))
      this.logs.set(
        topic,
        leaders.map((leader) => ({ leader, batches: [], start: 0n, end: 0n })),
      );
  }

  /** Appends one batch; returns the offsets of its records. */
  append(topic: string, partition: number, ...values: (string | null)[]): string[] {
    return this.write(topic, partition, values, false);
  }

  /** A transaction marker: a control batch with nothing to deliver. */
  marker(topic: string, partition: number): void {
    this.write(topic, partition, [null], true);
  }

  /** Retention: records before `offset` are gone. */
  trim(topic: string, partition: number, offset: bigint): void {
    this.log(topic, partition).start = offset;
  }

  log(topic: string, partition: number): Log {
    const log = this.logs.get(topic)?.[partition];
    if (!log) throw new Error(`no partition ${topic}[${partition}]`);
    return log;
  }

  topicsOf(names: readonly string[]): ClusterMetadata['topics'] {
    return new Map(
      names.map((name) => {
        const logs = this.logs.get(name);
        if (!logs) throw new Error(`Unknown topic ${name}.`);
        const partitions = logs.map(({ leader }) => ({
          leader,
          leaderEpoch: 0,
          replicas: [leader],
          isr: [leader],
          offlineReplicas: [],
        }));
        return [
          name,
          { id: `id-${name}`, partitions, partitionsCount: logs.length, lastUpdate: 0 },
        ];
      }),
    );
  }

  nameOf(topicId: string): string {
    return topicId.replace(/^id-/, '');
  }

  /** Throws the next scripted failure, if any. */
  failIfScripted(): void {
    const failure = this.failures.shift();
    if (failure) throw failure;
  }

  private write(topic: string, partition: number, values: (string | null)[], control: boolean) {
    const log = this.log(topic, partition);
    const firstOffset = log.end;
    log.batches.push({ firstOffset, control, values });
    log.end += BigInt(values.length);
    this.appended.emit('records');
    return values.map((_, index) => (firstOffset + BigInt(index)).toString());
  }
}

class ScriptedClient implements FanOutClient {
  closed = false;
  readonly fetches: { node: number; offsets: string[] }[] = [];

  constructor(private readonly cluster: ScriptedCluster) {}

  async metadata({ topics = [] }: MetadataOptions): Promise<ClusterMetadata> {
    this.cluster.failIfScripted();
    return {
      id: 'scripted',
      brokers: new Map([1, 2].map((node) => [node, { host: `b${node}`, port: 9093, rack: null }])),
      controllerId: 1,
      topics: this.cluster.topicsOf(topics),
      lastUpdate: 0,
    };
  }

  async listOffsets({ topics, timestamp }: ListOffsetsOptions): Promise<Offsets> {
    this.cluster.failIfScripted();
    const earliest = timestamp === ListOffsetTimestamps.EARLIEST;
    return new Map(
      topics.map((topic) => [
        topic,
        [...this.cluster.topicsOf([topic]).values()].flatMap(({ partitionsCount }) =>
          [...Array(partitionsCount).keys()].map((partition) => {
            const log = this.cluster.log(topic, partition);
            return earliest ? log.start : log.end;
          }),
        ),
      ]),
    );
  }

  async fetch({
    node,
    maxWaitTime = 0,
    topics,
  }: FetchOptions<Buffer, Buffer, Buffer, Buffer>): Promise<fetchV17.FetchResponse> {
    if (this.closed) throw new Error('client closed');
    this.cluster.failIfScripted();
    const asked = topics.flatMap(({ topicId, partitions }) =>
      partitions.map(({ partition, fetchOffset }) => ({
        topic: this.cluster.nameOf(topicId),
        topicId,
        partition,
        fetchOffset,
      })),
    );
    this.fetches.push({
      node,
      offsets: asked.map((a) => `${a.topic}[${a.partition}]@${a.fetchOffset}`),
    });
    for (const { topic, partition, fetchOffset } of asked) {
      const log = this.cluster.log(topic, partition);
      if (log.leader !== node) throw new Error(`${topic}[${partition}] is not led by ${node}`);
      if (fetchOffset < log.start || fetchOffset > log.end)
        throw new ResponseError(
          FETCH_API_KEY,
          17,
          { '/responses/0/partitions/0': [OFFSET_OUT_OF_RANGE_CODE, null] },
          {},
        );
    }
    const answer = () =>
      asked.map(({ topic, topicId, partition, fetchOffset }) => {
        const log = this.cluster.log(topic, partition);
        const batches = log.batches.filter(
          (b) => b.firstOffset + BigInt(b.values.length) > fetchOffset,
        );
        return { topicId, partition, log, batches };
      });
    const started = Date.now();
    let answered = answer();
    while (answered.every((a) => a.batches.length === 0) && !this.closed) {
      const left = maxWaitTime - (Date.now() - started);
      if (left <= 0) break;
      await Promise.race([
        once(this.cluster.appended, 'records'),
        new Promise((resolve) => setTimeout(resolve, left)),
      ]);
      answered = answer();
    }
    return {
      throttleTimeMs: 0,
      errorCode: 0,
      sessionId: 0,
      responses: answered.map(({ topicId, partition, log, batches }) => ({
        topicId,
        partitions: [
          {
            partitionIndex: partition,
            errorCode: 0,
            highWatermark: log.end,
            lastStableOffset: log.end,
            logStartOffset: log.start,
            abortedTransactions: null,
            preferredReadReplica: -1,
            records: batches.map((batch) => ({
              firstOffset: batch.firstOffset,
              length: 0,
              partitionLeaderEpoch: 0,
              magic: 2,
              crc: 0,
              attributes: batch.control ? IS_CONTROL : 0,
              lastOffsetDelta: batch.values.length - 1,
              firstTimestamp: 0n,
              maxTimestamp: 0n,
              producerId: -1n,
              producerEpoch: -1,
              firstSequence: -1,
              records: batch.values.map((value, offsetDelta) => ({
                length: 0,
                attributes: 0,
                timestampDelta: 0n,
                offsetDelta,
                key: Buffer.from(`key-${batch.firstOffset + BigInt(offsetDelta)}`),
                value: value === null ? null : Buffer.from(value),
                headers: [],
              })),
            })),
          },
        ],
      })),
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cluster.appended.emit('records');
  }
}

const readers: TopicReader[] = [];
afterEach(async () => {
  for (const reader of readers.splice(0)) await reader.close();
});

/** A reader over `cluster`: tasks on leaders 1, 2, 1 and runs on leader 2 unless told otherwise. */
function place(layout: Record<string, readonly number[]> = { [TASKS]: [1, 2, 1], [RUNS]: [2] }) {
  const cluster = new ScriptedCluster(layout);
  const open = () => {
    const client = new ScriptedClient(cluster);
    cluster.clients.push(client);
    return client;
  };
  const partitionsOf = (topic: string) => layout[topic]?.length ?? 1;
  const reader = kafkaTopicReader({ open, partitionsOf, backoff: { initialMs: 100, maxMs: 100 } });
  readers.push(reader);
  return { cluster, reader };
}

const values = (deliveries: readonly { value: string }[]) => deliveries.map((d) => d.value);

describe('Kafka topic reader (fan-out, no group)', () => {
  it('starts at the last records, -1 on an empty partition, and follows only what comes after', async () => {
    const { cluster, reader } = place();
    cluster.append(TASKS, 0, 'old-0', 'old-1');
    cluster.append(TASKS, 2, 'old-2');
    const ends = await reader.ends(TASKS);
    expect(ends).toEqual(['1', '-1', '0']);

    const envelope = encodeEnvelope(
      newEnvelope({ topic: TASKS, key: 'agent-1', schemaVersion: 1, producer: 'p', record: {} }),
    );
    cluster.append(TASKS, 1, envelope);
    cluster.append(TASKS, 0, 'a');
    const read = await reader.follow([{ topic: TASKS, after: ends }], { limit: 10, waitMs: 100 });
    expect(read.map((d) => `${d.partition}@${d.position}`).sort()).toEqual(['0@2', '1@0']);
    const first = read.find((d) => d.partition === 1);
    // The value arrives as the transport wrote it: the envelope's JSON, decoded as by consumers.
    expect(first && decodeEnvelope(first.value).ok).toBe(true);
    expect(first?.key).toBe('key-0');
    // A second read from the same positions sees the same records: nothing was acknowledged.
    const again = await reader.follow([{ topic: TASKS, after: ends }], { limit: 10, waitMs: 100 });
    expect(values(again).sort()).toEqual(values(read).sort());
  });

  it('hands on the records one broker has without waiting for a quiet one, and the quiet one later', async () => {
    const { cluster, reader } = place();
    const ends = await reader.ends(TASKS);
    cluster.append(TASKS, 0, 'on-1');
    const started = Date.now();
    const first = await reader.follow([{ topic: TASKS, after: ends }], {
      limit: 10,
      waitMs: 2_000,
    });
    expect(values(first)).toEqual(['on-1']);
    expect(Date.now() - started).toBeLessThan(1_000);

    // Broker 2's fetch still waits; what it gets next comes out of the next read, once.
    const after = ['0', ...ends.slice(1)];
    const next = reader.follow([{ topic: TASKS, after }], { limit: 10, waitMs: 2_000 });
    setTimeout(() => cluster.append(TASKS, 1, 'on-2'), 50);
    expect(values(await next)).toEqual(['on-2']);
    const fetchesOfNode2 = cluster.clients.flatMap((c) => c.fetches).filter((f) => f.node === 2);
    expect(fetchesOfNode2).toHaveLength(1);
  });

  it('waits up to waitMs when nothing is new, and at most limit records per partition', async () => {
    const { cluster, reader } = place();
    const ends = await reader.ends(RUNS);
    const started = Date.now();
    expect(await reader.follow([{ topic: RUNS, after: ends }], { limit: 2, waitMs: 150 })).toEqual(
      [],
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    cluster.append(RUNS, 0, 'a', 'b', 'c');
    const read = await reader.follow([{ topic: RUNS, after: ends }], { limit: 2, waitMs: 150 });
    expect(values(read)).toEqual(['a', 'b']);
  });

  it('reads a range after one position up to another, page by page, past transaction markers', async () => {
    const { cluster, reader } = place();
    const [a = ''] = cluster.append(TASKS, 0, 'a');
    cluster.marker(TASKS, 0);
    cluster.append(TASKS, 0, 'b', 'c');
    const [d = ''] = cluster.append(TASKS, 0, 'd', 'e');
    const page = await reader.range(TASKS, 0, a, d, 2);
    expect(values(page)).toEqual(['b', 'c']);
    const rest = await reader.range(TASKS, 0, page.at(-1)?.position ?? '', d, 2);
    expect(values(rest)).toEqual(['d']);
    expect(await reader.range(TASKS, 0, d, d, 2)).toEqual([]);
  });

  it('reports a position expired once retention removed a record after it', async () => {
    const { cluster, reader } = place();
    const [first = '', second = ''] = cluster.append(TASKS, 2, 'a', 'b', 'c');
    expect(await reader.expired(TASKS, ['-1', '-1', '-1'])).toEqual([]);
    cluster.trim(TASKS, 2, 2n);
    expect(await reader.expired(TASKS, ['-1', '-1', '-1'])).toEqual([2]);
    expect(await reader.expired(TASKS, ['-1', '-1', first])).toEqual([2]);
    // Only records up to the position itself are gone: what follows it is all there.
    expect(await reader.expired(TASKS, ['-1', '-1', second])).toEqual([]);
  });

  it('goes on from the oldest kept record when retention removed records it had not read', async () => {
    const { cluster, reader } = place();
    cluster.append(TASKS, 1, 'lost', 'kept');
    cluster.trim(TASKS, 1, 1n);
    const after = ['-1', '-1', '-1'];
    const read: string[] = [];
    for (let attempt = 0; attempt < 3 && read.length === 0; attempt++)
      read.push(
        ...values(await reader.follow([{ topic: TASKS, after }], { limit: 10, waitMs: 50 })),
      );
    expect(read).toEqual(['kept']);
  });

  it('closes its client on a broker error, fails at once during the backoff, then opens another', async () => {
    const { cluster, reader } = place();
    cluster.failures.push(new NetworkError('Connection closed'));
    await expect(reader.ends(TASKS)).rejects.toThrow('Connection closed');
    expect(cluster.clients[0]?.closed).toBe(true);
    // Meanwhile a call is refused at once, saying why and when it tries again; no client opens.
    await expect(reader.ends(TASKS)).rejects.toThrow(
      /client failed \(Connection closed\); reconnecting in \d+ ms/,
    );
    expect(cluster.clients).toHaveLength(1);
    await sleep(110);
    expect(await reader.ends(TASKS)).toEqual(['-1', '-1', '-1']);
    expect(cluster.clients).toHaveLength(2);
  });

  it('refuses a topic whose partitions on the brokers differ from the catalog', async () => {
    const cluster = new ScriptedCluster({ [TASKS]: [1, 2] });
    const reader = kafkaTopicReader({
      open: () => new ScriptedClient(cluster),
      partitionsOf: () => 3,
    });
    readers.push(reader);
    await expect(reader.ends(TASKS)).rejects.toThrow(
      `${TASKS} has 2 partitions on the brokers, 3 in the topic catalog`,
    );
  });

  it('rejects a waiting follow when closed, and every call after', async () => {
    const { cluster, reader } = place();
    const ends = await reader.ends(RUNS);
    const waiting = reader.follow([{ topic: RUNS, after: ends }], { limit: 10, waitMs: 5_000 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = Date.now();
    await reader.close();
    await expect(waiting).rejects.toThrow('closed');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(cluster.clients.every((client) => client.closed)).toBe(true);
    await expect(reader.ends(RUNS)).rejects.toThrow('closed');
  });

  it('orders offsets as integers', () => {
    expect(compareOffsets('9', '10')).toBeLessThan(0);
    expect(compareOffsets('-1', '0')).toBeLessThan(0);
    expect(compareOffsets('12', '12')).toBe(0);
  });
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Follows from `after` until `count` records with this test's values came, or 20 reads passed. */
async function followUntil(reader: TopicReader, after: string[], mine: Set<string>, count: number) {
  const seen: Delivery[] = [];
  const positions = [...after];
  for (let read = 0; read < 20 && seen.length < count; read++) {
    for (const delivery of await reader.follow([{ topic: TASKS, after: positions }], {
      limit: 100,
      waitMs: 500,
    })) {
      positions[delivery.partition] = delivery.position;
      if (mine.has(delivery.value)) seen.push(delivery);
    }
  }
  return seen;
}

// Only with a broker (KAFKA_BROKERS, and the KafkaUser and CA when the cluster asks for them);
// the scripted cluster above covers the same behaviour everywhere.
describe.each(transportKinds.filter((kind) => kind === 'kafka'))(
  'Kafka topic reader against a broker (%s)',
  (kind) => {
    it('starts at the ends, follows what is written after, and reads it again as a range', async () => {
      const settings = kafkaSettingsOf('aia-api', busConfig(kind));
      const partitionsOf = kafkaPartitionsOf(process.env.ENVIRONMENT);
      const reader = connectKafkaTopicReader(settings, { partitionsOf });
      const { transport, close } = await openTransport(kind, {
        redisUrl: '',
        keyPrefix: '',
      });
      readers.push(reader);
      cleanups.push(close);
      const ends = await reader.ends(TASKS);
      const key = `reader-${randomUUID()}`;
      const values = ['a', 'b', 'c'].map((v) => `${key}-${v}`);
      await transport.publish(values.map((value) => ({ topic: TASKS, key, value })));

      const seen = await followUntil(reader, ends, new Set(values), values.length);
      expect(seen.map((d) => d.value)).toEqual(values);
      // One key, one partition (the producer's partitioner picks which).
      const partition = seen[0]?.partition ?? -1;
      expect(seen.every((d) => d.partition === partition && d.key === key)).toBe(true);
      const [first, , last] = seen;
      const between = await reader.range(
        TASKS,
        partition,
        first?.position ?? '',
        last?.position ?? '',
        10,
      );
      expect(between.map((d) => d.value)).toEqual(values.slice(1));
      expect(await reader.expired(TASKS, ends)).toEqual([]);
    }, 30_000);
  },
);
