import { setTimeout as sleep } from 'node:timers/promises';
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
import type { ConsumeOptions, EventTransport, GroupMember, WireRecord } from './transport.js';

export interface KafkaTransportOptions {
  /** `host:port` of the bootstrap brokers. */
  readonly brokers: readonly string[];
  /** Names the client in broker logs and quotas: the service's name. */
  readonly clientId: string;
  /** SCRAM-SHA-512 credentials of the service's KafkaUser; none on a cluster without auth. */
  readonly sasl?: { readonly username: string; readonly password: string };
  /** PEM CA of the cluster: TLS is used exactly when it is given. */
  readonly ca?: string;
  readonly logger?: Logger;
}

/**
 * The stacks' transport, on `@platformatic/kafka`: an idempotent producer that waits for all
 * in-sync replicas (`acks=all`) and keeps order per partition, and consumer-group members that
 * commit a record's offset only after it was handled, starting at the earliest retained record
 * when their group has no offset yet. Connecting is lazy: brokers that cannot be reached at start
 * make readiness fail, never the service.
 */
export function connectKafka({
  brokers,
  clientId,
  sasl,
  ca,
  logger,
}: KafkaTransportOptions): EventTransport {
  const connection = {
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
  const producer = new Producer({
    ...connection,
    idempotent: true,
    acks: ProduceAcks.ALL,
    autocreateTopics: false,
    serializers: stringSerializers,
  });
  const members = new Set<GroupMember>();

  const publish = async (records: readonly WireRecord[]) => {
    if (records.length === 0) return;
    await producer.send({
      messages: records.map(({ topic, key, value }) => ({ topic, key, value })),
    });
  };

  const consume = async ({ group, topics, handle }: ConsumeOptions): Promise<GroupMember> => {
    const consumer = new Consumer({
      ...connection,
      groupId: group,
      autocommit: false,
      deserializers: stringDeserializers,
    });
    const stream = await consumer.consume({
      topics: [...topics],
      autocommit: false,
      mode: MessagesStreamModes.COMMITTED,
      fallbackMode: MessagesStreamFallbackModes.EARLIEST,
    });
    let stopped = false;
    const running = (async () => {
      for await (const message of stream) {
        const delivery = {
          topic: message.topic,
          partition: message.partition,
          position: message.offset.toString(),
          key: message.key ?? '',
          value: message.value ?? '',
        };
        // One record at a time keeps each partition in order; a record that fails is tried
        // again in place, and left uncommitted if the member stops first.
        for (;;) {
          if (stopped) return;
          try {
            await handle(delivery);
            await message.commit();
            break;
          } catch (error) {
            if (stopped) return;
            logger?.warn(
              { err: error, topic: delivery.topic, partition: delivery.partition, group },
              'event bus: record not handled; trying again',
            );
            await sleep(1_000);
          }
        }
      }
    })().catch((error: Error) => {
      if (!stopped) logger?.error({ err: error, group }, 'event bus: kafka consumer stopped');
    });
    const member: GroupMember = {
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await stream.close().catch(() => {});
        await running;
        await consumer.close(true).catch(() => {});
        members.delete(member);
      },
    };
    members.add(member);
    return member;
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
    },
    close: async () => {
      for (const member of [...members]) await member.stop();
      await producer.close();
    },
  };
}
