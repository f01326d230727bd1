import {
  Consumer,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
  ProduceAcks,
  Producer,
  type SASLOptions,
  stringDeserializers,
  stringSerializers,
} from '@platformatic/kafka';
import type { Logger } from 'pino';
import { subscribedTopicsAssigner } from './kafka-assigner.js';
import { KafkaGroupMember, type OpenGroupSession } from './kafka-group-member.js';
import {
  assertMembersReading,
  type ConsumeOptions,
  type EventTransport,
  type GroupMember,
  type WireRecord,
} from './transport.js';

/** Where the brokers are and who the service is to them: every Kafka client of a service. */
export interface KafkaConnectionSettings {
  /** `host:port` of the bootstrap brokers. */
  readonly brokers: readonly string[];
  /** Names the client in broker logs and quotas: the service's name. */
  readonly clientId: string;
  /** SCRAM-SHA-512 credentials of the service's KafkaUser; none on a cluster without auth. */
  readonly sasl?: { readonly username: string; readonly password: string };
  /** PEM CA of the cluster: TLS is used exactly when it is given. */
  readonly ca?: string;
}

export interface KafkaTransportOptions extends KafkaConnectionSettings {
  readonly logger?: Logger;
}

/**
 * The `@platformatic/kafka` client options of `settings`: bootstrap brokers, TLS with the
 * cluster CA when given, SCRAM-SHA-512 with the service's KafkaUser when given. Shared by the
 * transport's clients and the gateway's fan-out reader, so they connect alike.
 */
export function kafkaConnection({ brokers, clientId, sasl, ca }: KafkaConnectionSettings) {
  return {
    clientId,
    connectTimeout: 5_000,
    bootstrapBrokers: [...brokers],
    ...(ca === undefined ? {} : { tls: { ca } }),
    ...(sasl === undefined
      ? {}
      : {
          sasl: {
            mechanism: 'SCRAM-SHA-512',
            username: sasl.username,
            password: sasl.password,
          } satisfies SASLOptions,
        }),
  };
}

/**
 * The stacks' transport, on `@platformatic/kafka`: an idempotent producer that waits for all
 * in-sync replicas (`acks=all`) and keeps order per partition, and one consumer-group member per
 * group (`KafkaGroupMember`: every topic the process reads in that group, dispatched by topic)
 * that commits a record's offset only after it was handled, starting at the earliest retained
 * record when the group has no offset yet. Connecting and joining are lazy and retried: brokers
 * that cannot be reached make readiness fail, never the service's start.
 */
export function connectKafka({ logger, ...settings }: KafkaTransportOptions): EventTransport {
  const connection = kafkaConnection(settings);
  const producer = new Producer({
    ...connection,
    idempotent: true,
    acks: ProduceAcks.ALL,
    autocreateTopics: false,
    serializers: stringSerializers,
  });
  /** One member per consumer group, over every topic this process reads in it. */
  const groups = new Map<string, KafkaGroupMember>();

  const publish = async (records: readonly WireRecord[]) => {
    if (records.length === 0) return;
    await producer.send({
      messages: records.map(({ topic, key, value }) => ({ topic, key, value })),
    });
  };

  const openSession =
    (group: string): OpenGroupSession =>
    async (topics, signal) => {
      const consumer = new Consumer({
        ...connection,
        groupId: group,
        autocommit: false,
        deserializers: stringDeserializers,
        partitionAssigner: subscribedTopicsAssigner,
      });
      let stream: Awaited<ReturnType<typeof consumer.consume>> | undefined;
      let closing: Promise<void> | undefined;
      const close = () => {
        closing ??= (async () => {
          await stream?.close().catch(() => {});
          // Leaving can fail (the broker is gone): try once more, then the session is dropped.
          await consumer.close(true).catch(() => consumer.close(true));
        })();
        return closing;
      };
      const abort = () => void close().catch(() => {});
      signal.addEventListener('abort', abort, { once: true });
      try {
        stream = await consumer.consume({
          topics: [...topics],
          autocommit: false,
          mode: MessagesStreamModes.COMMITTED,
          fallbackMode: MessagesStreamFallbackModes.EARLIEST,
        });
      } catch (error) {
        signal.removeEventListener('abort', abort);
        await close().catch(() => {});
        throw error;
      }
      // Closed while joining: the stream made meanwhile goes too.
      if (signal.aborted) await stream.close().catch(() => {});
      return { messages: stream, close };
    };

  const consume = async ({ group, topics, handle }: ConsumeOptions): Promise<GroupMember> => {
    let member = groups.get(group);
    if (!member) {
      member = new KafkaGroupMember({
        group,
        open: openSession(group),
        ...(logger ? { logger } : {}),
      });
      groups.set(group, member);
    }
    const joined = member;
    const added: string[] = [];
    try {
      for (const topic of topics) {
        joined.add(topic, handle);
        added.push(topic);
      }
    } catch (error) {
      for (const topic of added) await joined.remove(topic);
      throw error;
    }
    let stopped = false;
    return {
      stop: async () => {
        if (stopped) return;
        stopped = true;
        for (const topic of added) await joined.remove(topic);
        if (joined.topics.length === 0 && groups.get(group) === joined) {
          groups.delete(group);
          await joined.close();
        }
      },
    };
  };

  return {
    kind: 'kafka',
    publish,
    consume,
    readiness: async (signal) => {
      // One attempt, abandoned when the check times out: readiness must not queue retries.
      const aborted = new Promise<never>((_, reject) =>
        signal.addEventListener('abort', () => reject(new Error('kafka readiness timed out')), {
          once: true,
        }),
      );
      await Promise.race([
        producer.metadata({ topics: [], forceUpdate: true, retries: 0 }),
        aborted,
      ]);
      assertMembersReading([...groups].map(([group, member]) => ({ group, ...member.health() })));
    },
    close: async () => {
      const members = [...groups.values()];
      groups.clear();
      await Promise.all(members.map((member) => member.close()));
      await producer.close();
    },
  };
}
