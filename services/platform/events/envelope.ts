import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/** W3C Trace Context `traceparent`: version, trace id, parent span id, flags. */
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * What travels on every topic, on every transport, as JSON: the record and what a consumer needs
 * to handle it once, in order and traced. `id` is unique per event and is what consumers dedupe
 * on; `key` orders (records with one key stay in one partition, in order).
 */
export const eventEnvelope = z.strictObject({
  id: z.uuid(),
  topic: z.string().min(1),
  key: z.string().min(1),
  /** The record schema's revision within the topic's major version (see `RecordSchema`). */
  schemaVersion: z.number().int().min(1),
  occurredAt: z.iso.datetime({ offset: true }),
  /** The service that wrote the event. */
  producer: z.string().min(1),
  traceparent: z.string().regex(TRACEPARENT, 'expected a W3C traceparent').optional(),
  tracestate: z.string().max(512).optional(),
  record: z.unknown(),
});

export type EventEnvelope = z.infer<typeof eventEnvelope>;

/** An envelope whose record was validated with its topic's schema. */
export type ReceivedEvent<R> = Omit<EventEnvelope, 'record'> & { readonly record: R };

/** W3C trace context of the work that wrote an event, carried to its consumers. */
export interface TraceContext {
  readonly traceparent: string;
  readonly tracestate?: string;
}

/** A new envelope with a fresh id, stamped now unless `occurredAt` is given. */
export function newEnvelope(fields: {
  topic: string;
  key: string;
  schemaVersion: number;
  producer: string;
  record: unknown;
  occurredAt?: Date;
  trace?: TraceContext;
}): EventEnvelope {
  return {
    id: randomUUID(),
    topic: fields.topic,
    key: fields.key,
    schemaVersion: fields.schemaVersion,
    occurredAt: (fields.occurredAt ?? new Date()).toISOString(),
    producer: fields.producer,
    ...(fields.trace?.traceparent ? { traceparent: fields.trace.traceparent } : {}),
    ...(fields.trace?.tracestate ? { tracestate: fields.trace.tracestate } : {}),
    record: fields.record,
  };
}

/** The wire form of an envelope. */
export const encodeEnvelope = (envelope: EventEnvelope): string => JSON.stringify(envelope);

/** Reads an envelope off the wire; `error` says why it is not one (never throws). */
export function decodeEnvelope(
  value: string,
): { ok: true; envelope: EventEnvelope } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return { ok: false, error: 'the record is not JSON' };
  }
  const parsed = eventEnvelope.safeParse(json);
  if (parsed.success) return { ok: true, envelope: parsed.data };
  return { ok: false, error: `not an event envelope: ${describeIssues(parsed.error)}` };
}

/** Zod issues as one line: `record.amount: expected a decimal string; key: required`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map(
      (issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(record)'}: ${issue.message}`,
    )
    .join('; ');
}
