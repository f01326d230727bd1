import { topics } from '../../events/topics.js';

/**
 * The partition of `key` among `partitions`: FNV-1a over the key's UTF-8 bytes. Stable across
 * processes and releases, so every record of one key lands in one partition, in order.
 */
export function partitionOf(key: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(key, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % partitions;
}

/**
 * Partitions of a topic on the local transport: the staging stack's count from the topic
 * catalog (dead-letter topics have 1), 1 for a topic the catalog does not know.
 */
export function localPartitionsOf(topic: string): number {
  const definition = (topics as Record<string, { partitions: { staging: number } }>)[topic];
  return definition?.partitions.staging ?? 1;
}

/**
 * Partitions of a topic on the Kafka cluster of `environment`, as the stack creates its topics
 * (`topicSpec`): production's count on production, staging's anywhere else; 1 for a topic the
 * catalog does not know.
 */
export function kafkaPartitionsOf(environment: string | undefined): (topic: string) => number {
  const stack = environment === 'production' ? 'production' : 'staging';
  return (topic) =>
    (topics as Record<string, { partitions: Record<typeof stack, number> }>)[topic]?.partitions[
      stack
    ] ?? 1;
}

/** How long the local transport keeps a topic's records: its retention, or for ever if compacted. */
export function localRetentionMsOf(topic: string): number | undefined {
  const definition = (topics as Record<string, { retention: 'compact' | { ms: number } }>)[topic];
  return definition && definition.retention !== 'compact' ? definition.retention.ms : undefined;
}
