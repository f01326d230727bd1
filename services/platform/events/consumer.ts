import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { z } from 'zod';
import {
  DEAD_LETTER_SCHEMA_VERSION,
  type DeadLetterRecord,
  type EventRecord,
  recordSchemas,
} from '../../events/schemas/index.js';
import { DEAD_LETTER_SUFFIX, type EventTopicName } from '../../events/topics.js';
import { isDatabaseUnavailable } from '../database-errors.js';
import type { Database } from '../db.js';
import { type Backoff, backoffDelay } from './backoff.js';
import {
  decodeEnvelope,
  describeIssues,
  encodeEnvelope,
  newEnvelope,
  type ReceivedEvent,
} from './envelope.js';
import type { EventMetrics } from './metrics.js';
import type { Delivery, EventTransport, GroupMember } from './transport.js';

/** What a handler gets besides the event: the transaction its writes must use. */
export interface HandlerContext {
  /** The transaction that also records the event as processed: commit both or neither. */
  readonly tx: Database;
}

export type EventHandler<T extends EventTopicName> = (
  event: ReceivedEvent<EventRecord<T>>,
  context: HandlerContext,
) => Promise<void>;

export interface SubscribeOptions<T extends EventTopicName> {
  readonly topic: T;
  readonly handler: EventHandler<T>;
  /** The service's database: `processed_events` and the handler's transaction. */
  readonly sql: Database;
  /** Default `consumerGroup(service)`. */
  readonly group?: string;
  /** Attempts before the event goes to the dead-letter topic. Default 5. */
  readonly maxAttempts?: number;
  /** Waits between attempts. Default 200 ms doubling to 30 s. */
  readonly backoff?: Backoff;
}

/** A running subscription. */
export interface Subscription {
  /** Lets the event in hand finish (a backoff wait is cut short), then leaves the group. */
  stop(): Promise<void>;
}

interface ConsumerDependencies {
  readonly transport: EventTransport;
  readonly service: string;
  readonly logger: Logger;
  readonly metrics: EventMetrics;
}

class Stopping extends Error {}

/** Longest error message kept in a dead letter. */
const MAX_ERROR = 2_000;

/**
 * Consumes `topic` in a consumer group, at least once and in order per key, and handles each
 * event once: the handler runs in a transaction that first records the event id in
 * `processed_events`, so a redelivered event is skipped. A failing handler is retried with
 * exponential backoff; after `maxAttempts` the event goes to `<topic>.dlq` with the error. A
 * record that is not a valid envelope or whose record fails the topic's schema goes there at
 * once. While the database is unreachable the event is retried without counting attempts: an
 * outage must not empty a topic into its dead letters.
 */
export async function subscribe<T extends EventTopicName>(
  { topic, handler, sql, group: groupOption, maxAttempts = 5, backoff }: SubscribeOptions<T>,
  { transport, service, logger, metrics }: ConsumerDependencies,
): Promise<Subscription> {
  const group = groupOption ?? service;
  const schema = recordSchemas[topic];
  // Newer producers may add optional fields: a consumer keeps what it does not know.
  const accepts = schema.record instanceof z.ZodObject ? schema.record.loose() : schema.record;
  const controller = new AbortController();
  const labels = { topic, group };

  const deadLetter = async (
    delivery: Delivery,
    reason: DeadLetterRecord['reason'],
    error: string,
    attempts: number,
    eventId: string | null,
  ) => {
    const record: DeadLetterRecord = {
      source_topic: topic,
      source_event_id: eventId,
      consumer_group: group,
      reason,
      attempts,
      error: error.slice(0, MAX_ERROR),
      failed_at: new Date().toISOString(),
      record: delivery.value,
    };
    const envelope = newEnvelope({
      topic: `${topic}${DEAD_LETTER_SUFFIX}`,
      key: delivery.key || 'unkeyed',
      schemaVersion: DEAD_LETTER_SCHEMA_VERSION,
      producer: service,
      record,
    });
    await transport.publish([
      { topic: envelope.topic, key: envelope.key, value: encodeEnvelope(envelope) },
    ]);
    metrics.deadLettered.inc({ ...labels, reason });
    logger.error(
      {
        topic,
        group,
        eventId,
        partition: delivery.partition,
        position: delivery.position,
        reason,
        attempts,
        error,
      },
      'event sent to the dead-letter topic',
    );
  };

  const wait = async (ms: number) => {
    await sleep(ms, undefined, { signal: controller.signal }).catch(() => {
      throw new Stopping();
    });
  };

  const handle = async (delivery: Delivery) => {
    const decoded = decodeEnvelope(delivery.value);
    if (!decoded.ok) return deadLetter(delivery, 'schema', decoded.error, 0, null);
    const { envelope } = decoded;
    const parsed = accepts.safeParse(envelope.record);
    const problem =
      envelope.topic !== topic
        ? `the envelope names topic ${envelope.topic}`
        : !parsed.success
          ? `invalid ${topic} record: ${describeIssues(parsed.error)}`
          : undefined;
    if (problem || !parsed.success) {
      return deadLetter(delivery, 'schema', problem ?? 'invalid record', 0, envelope.id);
    }
    const event = { ...envelope, record: parsed.data } as ReceivedEvent<EventRecord<T>>;
    for (let attempt = 1; ; ) {
      if (controller.signal.aborted) throw new Stopping();
      try {
        const outcome = await sql.begin(async (tx) => {
          const claimed = await tx`
            insert into processed_events (consumer_group, event_id, topic)
            values (${group}, ${envelope.id}, ${topic})
            on conflict do nothing returning event_id`;
          if (claimed.length === 0) return 'duplicate' as const;
          await handler(event, { tx: tx as unknown as Database });
          return 'handled' as const;
        });
        metrics.consumed.inc({ ...labels, outcome });
        return;
      } catch (error) {
        if (error instanceof Stopping || controller.signal.aborted) throw new Stopping();
        if (isDatabaseUnavailable(error)) {
          logger.warn(
            { err: error, topic, group },
            'event not handled: database unavailable; retrying',
          );
          await wait(backoffDelay(Math.min(attempt + 3, 8), backoff));
          continue;
        }
        if (attempt >= maxAttempts) {
          const message = error instanceof Error ? error.message : String(error);
          return deadLetter(delivery, 'handler', message, attempt, envelope.id);
        }
        metrics.retried.inc(labels);
        logger.warn(
          { err: error, topic, group, eventId: envelope.id, attempt },
          'event handler failed; retrying',
        );
        await wait(backoffDelay(attempt, backoff));
        attempt++;
      }
    }
  };

  const member: GroupMember = await transport.consume({ group, topics: [topic], handle });
  return {
    stop: async () => {
      controller.abort();
      await member.stop();
    },
  };
}
