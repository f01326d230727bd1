import { z } from 'zod';
import { timestamp, uuid } from './fields.js';

/**
 * A record of `<topic>.dlq`: what a consumer group could not process, with why, kept for
 * inspection and replay. `record` is the value exactly as it was received, so a record whose
 * envelope or payload failed validation is kept too.
 */
export const deadLetterRecord = z.strictObject({
  source_topic: z.string().min(1),
  /** The event's id, or null when its envelope could not even be read. */
  source_event_id: uuid.nullable(),
  consumer_group: z.string().min(1),
  /** `schema`: the record failed validation and was not retried; `handler`: every attempt failed. */
  reason: z.enum(['schema', 'handler']),
  attempts: z.number().int().min(0),
  /** The last error's message (never its stack), at most 2000 characters. */
  error: z.string().max(2000),
  failed_at: timestamp,
  record: z.string(),
});

export type DeadLetterRecord = z.infer<typeof deadLetterRecord>;

/** Version of the dead-letter record schema, the same for every `.dlq` topic. */
export const DEAD_LETTER_SCHEMA_VERSION = 1;
