import { randomUUID } from 'node:crypto';
import { trace } from '@opentelemetry/api';
import type { JSONValue } from 'postgres';
import { type EventRecord, recordSchemas } from '../../events/schemas/index.js';
import type { EventTopicName } from '../../events/topics.js';
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

/**
 * Writes one event to the outbox inside `tx`, the transaction that changes the state it
 * describes: it is published if and only if that transaction commits. The record is validated
 * with the topic's schema first. Records with one `key` are delivered in the order written;
 * writers of one key must be serialised (a row lock on the entity does it). Returns the event id.
 * @throws EventRecordError naming each bad field.
 * @example
 * await sql.begin(async (tx) => {
 *   await tx`update agents set rank = ${rank} where id = ${id}`;
 *   await writeEvent(tx, 'aia.performance.rankings.v1', id, { agent_id: id, rank, score, computed_at });
 * });
 */
export async function writeEvent<T extends EventTopicName>(
  tx: Database,
  topic: T,
  key: string,
  record: EventRecord<T>,
  { trace: traceContext = activeTraceContext() }: { trace?: TraceContext } = {},
): Promise<string> {
  const schema = recordSchemas[topic];
  const parsed = schema.record.safeParse(record);
  if (!parsed.success) {
    throw new EventRecordError(`invalid ${topic} record: ${describeIssues(parsed.error)}`);
  }
  if (key.length === 0) throw new EventRecordError(`invalid ${topic} record: the key is empty`);
  const id = randomUUID();
  await tx`
    insert into outbox (event_id, topic, key, payload, schema_version, trace_context)
    values (${id}, ${topic}, ${key}, ${tx.json(parsed.data as JSONValue)}, ${schema.version},
            ${traceContext ? tx.json({ ...traceContext }) : null})`;
  return id;
}
