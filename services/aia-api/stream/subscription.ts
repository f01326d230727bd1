import type { TopicReader } from '../../platform/events/topic-reader.js';
import { encodeCursor, type Positions } from './cursor.js';
import type { FeedEvent } from './event-feed.js';
import type { ServerMessage } from './protocol.js';
import { matchesFilter, type StreamTopic } from './stream-topics.js';

/**
 * One subscription of one connection: where it stands in each partition of its topic (its
 * cursor), and, while it replays from a cursor, the live events held back until the replay
 * reaches where the feed stood when it subscribed.
 */
export class Subscription {
  private readonly cursor: string[];
  private held: FeedEvent[] | undefined;
  active = true;

  constructor(
    readonly id: string,
    readonly topic: string,
    private readonly definition: StreamTopic,
    private readonly filter: Readonly<Record<string, string>>,
    start: Positions,
    private readonly compare: TopicReader['compare'],
    private readonly send: (message: ServerMessage) => void,
    replaying: boolean,
  ) {
    this.cursor = [...start];
    this.held = replaying ? [] : undefined;
  }

  /** The cursor as a client resumes from it. */
  get resumeCursor(): string {
    return encodeCursor(this.cursor);
  }

  /** Events held back while replaying (the connection bounds them). */
  get heldCount(): number {
    return this.held?.length ?? 0;
  }

  /** A live event from the feed: sent now, or held while the replay runs. */
  live(event: FeedEvent): void {
    if (!this.active) return;
    if (this.held) this.held.push(event);
    else this.deliver(event);
  }

  /** Sends `event` if it is after the cursor and matches the filter; the cursor moves past it. */
  deliver(event: FeedEvent): void {
    const at = this.cursor[event.partition];
    if (!this.active || at === undefined || this.compare(event.position, at) <= 0) return;
    this.cursor[event.partition] = event.position;
    if (!matchesFilter(this.definition, this.filter, event.envelope.record)) return;
    const { traceparent: _traceparent, tracestate: _tracestate, ...data } = event.envelope;
    this.send({ type: 'event', subscription: this.id, cursor: this.resumeCursor, data });
  }

  /** Ends the replay: the held events go out in order, then events go out as they come. */
  goLive(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const event of held) this.deliver(event);
  }
}
