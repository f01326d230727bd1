import type { AgentRunRecord } from '../../events/schemas/agent-runs.js';
import {
  DEAD_LETTER_SCHEMA_VERSION,
  type DeadLetterRecord,
} from '../../events/schemas/dead-letters.js';
import { DEAD_LETTER_SUFFIX } from '../../events/topics.js';
import {
  type EventPublisher,
  encodeEnvelope,
  newEnvelope,
  type ReceivedEvent,
} from '../../platform/events/index.js';

/** The tracker's consumer group on `aia.agents.runs.v1`. */
export const TRACKER_GROUP = 'performance-tracker';

const RUNS_TOPIC = 'aia.agents.runs.v1';

/**
 * Sends a schema-valid run the tracker refuses to `aia.agents.runs.v1.dlq`, as the kit sends a
 * record that fails the schema: `reason: schema`, no attempts, the refusal in `error`, the
 * envelope as received in `record`.
 */
export async function deadLetterRun(
  publisher: EventPublisher,
  event: ReceivedEvent<AgentRunRecord>,
  error: string,
): Promise<void> {
  const record: DeadLetterRecord = {
    source_topic: RUNS_TOPIC,
    source_event_id: event.id,
    consumer_group: TRACKER_GROUP,
    reason: 'schema',
    attempts: 0,
    error,
    failed_at: new Date().toISOString(),
    record: encodeEnvelope(event),
  };
  await publisher.publish([
    newEnvelope({
      topic: `${RUNS_TOPIC}${DEAD_LETTER_SUFFIX}`,
      key: event.key,
      schemaVersion: DEAD_LETTER_SCHEMA_VERSION,
      producer: TRACKER_GROUP,
      record,
    }),
  ]);
}
