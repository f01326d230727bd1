import type { Delivery } from './transport.js';

/**
 * Reads topics without a consumer group: every reader sees every record (fan-out), acknowledges
 * nothing and keeps its own positions. For processes that mirror a topic to their own clients
 * (the gateway's live events), never for handling events: that is `bus.subscribe`.
 *
 * A position is the transport's own (a Redis stream entry id, a Kafka offset) and is shared by
 * every replica, so a position one replica handed out can be resumed from on another.
 */
export interface TopicReader {
  /** Partitions of `topic`. */
  partitionsOf(topic: string): number;
  /**
   * The position of the last record of each partition of `topic` (index = partition): reading
   * after these returns only records written later. `'0-0'` (Redis) or `'-1'` (Kafka) when empty.
   */
  ends(topic: string): Promise<string[]>;
  /** Partitions of `topic` where records after `after[partition]` were removed (retention). */
  expired(topic: string, after: readonly string[]): Promise<number[]>;
  /** Records of one partition after `after` (exclusive) up to `until` (inclusive), oldest first. */
  range(
    topic: string,
    partition: number,
    after: string,
    until: string,
    limit: number,
  ): Promise<Delivery[]>;
  /**
   * Records after each given position, oldest first per partition, at most `limit` per
   * partition; when there are none, waits up to `waitMs` for the first. One waiting read at a time.
   */
  follow(
    from: readonly { readonly topic: string; readonly after: readonly string[] }[],
    options: { readonly limit: number; readonly waitMs: number },
  ): Promise<Delivery[]>;
  /** Orders two positions of one partition: negative when `a` comes first. */
  compare(a: string, b: string): number;
  /** Closes its connections; a waiting `follow` rejects. */
  close(): Promise<void>;
}
