import { randomUUID } from 'node:crypto';
import { trace } from '@opentelemetry/api';
import type { JSONValue } from 'postgres';
import { type EventRecord, recordSchemas } from '../../events/schemas/index.js';
import { type EventTopicName, eventTopics } from '../../events/topics.js';
import type { Database } from '../db.js';
import { describeIssues, type TraceContext } from './envelope.js';

/** A record that does not match its topic's schema; nothing was written. */
export class EventRecordError extends Error {
  override readonly name = 'EventRecordError';
}

/** The trace context of the active span, if there is one. */
export function activeTraceContext(): TraceContext | undefined {
  const context = trace.getActiveSpan()?.spanContext();
  if (!context || !trace.isSpanContextValid(context)) return undefined;
  const flags = context.traceFlags.toString(16).padStart(2, '0');
  const tracestate = context.traceState?.serialize();
  return {
    traceparent: `00-${context.traceId}-${context.spanId}-${flags}`,
    ...(tracestate ? { tracestate } : {}),
  };
}

/** The services `topic` declares as its producers (`services/events/topics.ts`). */
export type ProducerOf<T extends EventTopicName> = (typeof eventTopics)[T]['producers'][number];

export interface WriteEventOptions<T extends EventTopicName> {
  /**
   * The writing service, one of the topic's producers: its relay publishes the row, and names
   * it as the envelope's producer (services sharing a database share one outbox).
   */
  readonly producer: ProducerOf<T>;
  /** W3C trace context to carry; default the active span's. */
  readonly trace?: TraceContext;
}

/**
 * Writes one event to the outbox inside `tx`, the transaction that changes the state it
 * describes: it is published if and only if that transaction commits. The record is validated
 * with the topic's schema first. Records with one `key` are delivered in the order written;
 * writers of one key must be serialised (a row lock on the entity does it). The row names its
 * `producer`, whose relay publishes it. Returns the event id.
 * @throws EventRecordError naming each bad field, or a producer the topic does not declare.
 * @example
 * await sql.begin(async (tx) => {
 *   await tx`update agents set rank = ${rank} where id = ${id}`;
 *   await writeEvent(tx, 'aia.performance.rankings.v1', id, { agent_id: id, rank, score, computed_at }, {
 *     producer: 'performance-tracker',
 *   });
 * });
 */
export async function writeEvent<T extends EventTopicName>(
  tx: Database,
  topic: T,
  key: string,
  record: EventRecord<T>,
  { producer, trace: traceContext = activeTraceContext() }: WriteEventOptions<T>,
): Promise<string> {
  if (!(eventTopics[topic].producers as readonly string[]).includes(producer)) {
    throw new EventRecordError(`${producer} is not a producer of ${topic}`);
  }
  const schema = recordSchemas[topic];
  const parsed = schema.record.safeParse(record);
  if (!parsed.success) {
    throw new EventRecordError(`invalid ${topic} record: ${describeIssues(parsed.error)}`);
  }
  if (key.length === 0) throw new EventRecordError(`invalid ${topic} record: the key is empty`);
  const id = randomUUID();
  await tx`
    insert into outbox (event_id, topic, key, payload, schema_version, trace_context, producer)
    values (${id}, ${topic}, ${key}, ${tx.json(parsed.data as JSONValue)}, ${schema.version},
            ${traceContext ? tx.json({ ...traceContext }) : null}, ${producer})`;
  return id;
}
