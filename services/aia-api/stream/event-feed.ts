import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { backoffDelay } from '../../platform/events/backoff.js';
import { decodeEnvelope, type EventEnvelope } from '../../platform/events/envelope.js';
import type { TopicReader } from '../../platform/events/topic-reader.js';
import { errorMessage } from '../../platform/events/transport.js';

/** One event as the feed hands it on: where it sits in its topic, and its envelope. */
export interface FeedEvent {
  readonly topic: string;
  readonly partition: number;
  readonly position: string;
  readonly envelope: EventEnvelope;
}

export interface EventFeedOptions {
  readonly reader: TopicReader;
  readonly topics: readonly string[];
  readonly logger: Logger;
  /** Longest wait of one read; also how soon `stop` is noticed. Default 1 s. */
  readonly waitMs?: number;
  /** Records read at once per partition. Default 500. */
  readonly batchSize?: number;
}

/**
 * This replica's one reader of the stream topics: it starts at their ends and hands every later
 * event, in order per partition, to its listeners, synchronously. `positions` is where it stands:
 * an event handed on later sits after them, so a subscription taking them as its start and
 * listening in the same turn misses nothing and sees nothing twice.
 */
export class EventFeed {
  private readonly listeners = new Set<(event: FeedEvent) => void>();
  private current: Map<string, string[]> | undefined;
  private stopped = false;
  private readonly stopping = new AbortController();
  private running: Promise<void> | undefined;
  private problem: string | undefined = 'not started';

  constructor(private readonly options: EventFeedOptions) {}

  /** Where the feed stands in `topic` (index = partition); undefined until it reads. */
  positions(topic: string): readonly string[] | undefined {
    const positions = this.current?.get(topic);
    return positions ? [...positions] : undefined;
  }

  /** Calls `listener` with every event from now on; returns what stops it. */
  listen(listener: (event: FeedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts reading in the background, retrying with backoff while the bus does not answer. */
  start(): void {
    this.running ??= this.run();
  }

  /** For `/readyz`: throws while the feed is not reading. */
  readonly readiness = async (): Promise<void> => {
    if (this.problem) throw new Error(`live event feed not reading: ${this.problem}`);
  };

  /**
   * Stops reading: a pause between retries ends at once; the read in progress ends when the reader
   * closes, so close the reader before awaiting this.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    await this.running;
  }

  private async run(): Promise<void> {
    const { reader, topics, logger, waitMs = 1_000, batchSize = 500 } = this.options;
    for (let failures = 0; !this.stopped; ) {
      try {
        if (!this.current) {
          const ends = await Promise.all(topics.map((topic) => reader.ends(topic)));
          this.current = new Map(topics.map((topic, index) => [topic, ends[index] ?? []]));
        }
        const current = this.current;
        const deliveries = await reader.follow(
          topics.map((topic) => ({ topic, after: current.get(topic) ?? [] })),
          { limit: batchSize, waitMs },
        );
        this.problem = undefined;
        failures = 0;
        for (const delivery of deliveries) {
          const positions = current.get(delivery.topic);
          if (!positions) continue;
          positions[delivery.partition] = delivery.position;
          const decoded = decodeEnvelope(delivery.value);
          if (!decoded.ok) {
            logger.warn({ topic: delivery.topic, error: decoded.error }, 'stream: record skipped');
            continue;
          }
          const event = { ...delivery, envelope: decoded.envelope };
          for (const listener of this.listeners) {
            try {
              listener(event);
            } catch (error) {
              logger.error({ err: error, topic: event.topic }, 'stream: a listener failed');
            }
          }
        }
      } catch (error) {
        if (this.stopped) break;
        failures++;
        this.problem = errorMessage(error);
        const delay = backoffDelay(failures, { initialMs: 200, maxMs: 5_000 });
        logger.warn({ err: error, retryInMs: delay }, 'stream: reading the event bus failed');
        await sleep(delay, undefined, { signal: this.stopping.signal }).catch(() => {});
      }
    }
  }
}
