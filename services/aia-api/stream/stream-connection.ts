import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { decodeEnvelope } from '../../platform/events/envelope.js';
import type { TopicReader } from '../../platform/events/topic-reader.js';
import type { Principal } from '../../platform/types.js';
import { decodeCursor, type Positions } from './cursor.js';
import type { EventFeed, FeedEvent } from './event-feed.js';
import {
  type ClientMessage,
  clientMessage,
  type ServerMessage,
  type StreamErrorCode,
  type SubscribeMessage,
} from './protocol.js';
import type { StreamMetrics } from './stream-metrics.js';
import { AGENTS_ADMIN_SCOPE, STREAM_TOPICS, type StreamTopic } from './stream-topics.js';
import { Subscription } from './subscription.js';
import type { TaskAccess } from './task-access.js';

/** Close codes (RFC 6455 §7.4.1). */
export const CLOSE_TRY_AGAIN_LATER = 1013;
export const CLOSE_GOING_AWAY = 1001;
/** The application's range (4000-4999): the bearer token expired; reconnect with a new one. */
export const CLOSE_TOKEN_EXPIRED = 4001;

/** The longest delay a Node timer takes (about 24.8 days): a token outliving it ends sooner. */
const MAX_TIMER_MS = 2_147_483_647;

export interface ConnectionLimits {
  /** Bytes queued for a client past which it is dropped (1013). */
  readonly maxBufferedBytes: number;
  readonly maxSubscriptions: number;
  /** Live events held per subscription while it replays, past which the client is dropped. */
  readonly maxHeldEvents: number;
  /** Records read per replay request. */
  readonly replayBatch: number;
  /** After a 1013 close, how long the closing handshake may take before the socket is cut. */
  readonly closeGraceMs: number;
}

export interface ConnectionDependencies {
  readonly feed: EventFeed;
  readonly reader: TopicReader;
  readonly taskAccess: TaskAccess | undefined;
  readonly metrics: StreamMetrics;
  readonly logger: Logger;
  readonly limits: ConnectionLimits;
  /** Adds or removes a subscription from the hub's index by topic. */
  readonly index: (subscription: Subscription, present: boolean) => void;
}

class StreamError extends Error {
  constructor(
    readonly code: StreamErrorCode,
    detail: string,
    readonly field?: string,
  ) {
    super(detail);
  }
}

/**
 * One client of `/v1/stream`: its subscriptions, and every message sent to it, bounded by
 * `maxBufferedBytes` (a client that does not read is closed, not buffered without bound).
 */
export class StreamConnection {
  private readonly subscriptions = new Map<string, Subscription>();
  /** Answered the last heartbeat ping. */
  alive = true;
  private closed = false;
  private expiry: NodeJS.Timeout | undefined;

  constructor(
    readonly socket: WebSocket,
    private readonly caller: {
      readonly principal: Principal;
      readonly token: string;
      readonly expiresAt?: number | undefined;
    },
    private readonly deps: ConnectionDependencies,
  ) {
    socket.on('pong', () => {
      this.alive = true;
    });
    // What the caller may see was decided by its token: when the token ends, so does the
    // connection (the client reconnects with a new token and resumes from its cursors).
    if (caller.expiresAt !== undefined) {
      const left = Math.min(Math.max(0, caller.expiresAt - Date.now()), MAX_TIMER_MS);
      this.expiry = setTimeout(() => this.close(CLOSE_TOKEN_EXPIRED, 'token expired'), left);
      this.expiry.unref();
    }
  }

  /** Sends `message`, or drops the client when what it has not read passes the limit. */
  send(message: ServerMessage): void {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > this.deps.limits.maxBufferedBytes) {
      this.drop(
        `send buffer above ${this.deps.limits.maxBufferedBytes} bytes: the client reads too slowly`,
      );
      return;
    }
    this.socket.send(JSON.stringify(message));
    this.deps.metrics.messagesSent.inc({ type: message.type });
  }

  /** Closes a client that cannot keep up (1013, try again later: it may resume from its cursor). */
  drop(reason: string): void {
    if (this.closed) return;
    this.deps.metrics.slowClientsDropped.inc();
    this.deps.logger.info({ reason }, 'stream: slow client dropped');
    this.close(CLOSE_TRY_AGAIN_LATER, reason);
    // Its closing frame waits behind what it does not read: cut the socket if it never goes out.
    setTimeout(() => this.socket.terminate(), this.deps.limits.closeGraceMs).unref();
  }

  /** Closes the connection and ends its subscriptions. */
  close(code: number, reason: string): void {
    this.ended();
    this.socket.close(code, reason);
  }

  /** The socket closed: subscriptions end. */
  ended(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.expiry);
    for (const subscription of this.subscriptions.values()) this.remove(subscription);
  }

  /** A live event for one of this connection's subscriptions. */
  live(subscription: Subscription, event: FeedEvent): void {
    subscription.live(event);
    if (subscription.heldCount > this.deps.limits.maxHeldEvents)
      this.drop('too many live events waiting while the subscription replays');
  }

  /** Handles one client message; a bad one gets an `error` naming the field. */
  async receive(text: string): Promise<void> {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return this.error('invalid_message', 'the message is not JSON');
    }
    const parsed = clientMessage.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') || undefined;
      return this.error('invalid_message', issue?.message ?? 'not a message', field);
    }
    try {
      await this.handle(parsed.data);
    } catch (error) {
      if (error instanceof StreamError)
        return this.error(error.code, error.message, error.field, subscriptionIdOf(parsed.data));
      this.deps.logger.warn({ err: error }, 'stream: message failed');
      return this.error(
        'unavailable',
        'the event bus did not answer; try again',
        undefined,
        subscriptionIdOf(parsed.data),
      );
    }
  }

  private async handle(message: ClientMessage): Promise<void> {
    if (message.type === 'unsubscribe') {
      const subscription = this.subscriptions.get(message.id);
      if (!subscription)
        throw new StreamError('unknown_subscription', `no subscription '${message.id}'`, 'id');
      this.remove(subscription);
      this.send({ type: 'unsubscribed', id: message.id });
      return;
    }
    await this.subscribe(message);
  }

  private async subscribe(message: SubscribeMessage): Promise<void> {
    const { id, topic, filter, after } = message;
    const definition = (STREAM_TOPICS as Record<string, StreamTopic>)[topic];
    if (!definition)
      throw new StreamError('unknown_topic', `'${topic}' is not a stream topic`, 'topic');
    const { principal } = this.caller;
    if (!principal.scopes.has(definition.scope))
      throw new StreamError(
        'insufficient_scope',
        `subscribing to ${topic} needs the scope ${definition.scope}`,
        'topic',
      );
    for (const name of Object.keys(filter))
      if (!(name in definition.filters))
        throw new StreamError(
          'invalid_filter',
          `${topic} filters by ${Object.keys(definition.filters).join(', ')}`,
          `filter.${name}`,
        );
    if (this.subscriptions.has(id))
      throw new StreamError('subscription_exists', `subscription '${id}' exists already`, 'id');
    if (this.subscriptions.size >= this.deps.limits.maxSubscriptions)
      throw new StreamError(
        'too_many_subscriptions',
        `at most ${this.deps.limits.maxSubscriptions} subscriptions per connection`,
        'id',
      );
    if (definition.guard === 'task') await this.checkTask(topic, filter.task_id);
    const start = after === undefined ? undefined : await this.resumePoint(topic, after);
    const base = this.deps.feed.positions(topic);
    if (!base) throw new StreamError('unavailable', 'the live event feed is starting; try again');
    if (this.closed || this.subscriptions.has(id)) return;
    // Taken in the same turn as the feed's positions: every later live event is after `base`.
    const subscription = new Subscription(
      id,
      topic,
      definition,
      filter,
      start ?? base,
      this.deps.reader.compare,
      (m) => this.send(m),
      start !== undefined,
    );
    this.subscriptions.set(id, subscription);
    this.deps.index(subscription, true);
    this.send({ type: 'subscribed', id, topic, cursor: subscription.resumeCursor });
    if (start !== undefined) await this.replay(subscription, start, base);
  }

  /** A task topic: a named task the caller may read, or `agents:admin` for any. */
  private async checkTask(topic: string, taskId: string | undefined): Promise<void> {
    if (this.caller.principal.scopes.has(AGENTS_ADMIN_SCOPE)) return;
    if (taskId === undefined)
      throw new StreamError(
        'invalid_filter',
        `${topic} needs a task_id filter (a task you sent), or the scope ${AGENTS_ADMIN_SCOPE}`,
        'filter.task_id',
      );
    const allowed = this.deps.taskAccess
      ? await this.deps.taskAccess(taskId, this.caller.token)
      : false;
    if (!allowed)
      throw new StreamError('task_not_found', `no task ${taskId} of yours`, 'filter.task_id');
  }

  /** The positions of a resume cursor, unless it is not one or what follows it is gone. */
  private async resumePoint(topic: string, after: string): Promise<Positions> {
    const decoded = decodeCursor(after, this.deps.reader.partitionsOf(topic));
    if (!decoded.ok) throw new StreamError('invalid_cursor', decoded.reason, 'after');
    const expired = await this.deps.reader.expired(topic, decoded.positions);
    if (expired.length > 0)
      throw new StreamError(
        'cursor_expired',
        `events after this cursor are past the topic's retention (partitions ${expired.join(', ')}); subscribe without 'after'`,
        'after',
      );
    return decoded.positions;
  }

  /** Sends what happened between the cursor and where the feed stood, then goes live. */
  private async replay(
    subscription: Subscription,
    start: Positions,
    base: Positions,
  ): Promise<void> {
    const { reader, limits } = this.deps;
    try {
      for (const [partition, until] of base.entries()) {
        let after = start[partition] ?? until;
        while (subscription.active && reader.compare(after, until) < 0) {
          const batch = await reader.range(
            subscription.topic,
            partition,
            after,
            until,
            limits.replayBatch,
          );
          for (const delivery of batch) {
            const event = toFeedEvent(delivery);
            if (event) subscription.deliver(event);
          }
          const last = batch.at(-1);
          if (!last || batch.length < limits.replayBatch) break;
          after = last.position;
        }
      }
      subscription.goLive();
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'stream: replay failed');
      this.remove(subscription);
      this.error(
        'unavailable',
        'replaying from the cursor failed; subscribe again with it',
        'after',
        subscription.id,
      );
    }
  }

  private remove(subscription: Subscription): void {
    subscription.active = false;
    if (this.subscriptions.get(subscription.id) === subscription)
      this.subscriptions.delete(subscription.id);
    this.deps.index(subscription, false);
  }

  private error(
    code: StreamErrorCode,
    detail: string,
    field?: string,
    subscription?: string,
  ): void {
    this.send({
      type: 'error',
      code,
      detail,
      ...(field ? { field } : {}),
      ...(subscription ? { subscription } : {}),
    });
  }
}

const subscriptionIdOf = (message: ClientMessage): string => message.id;

/** A replayed record as the feed would have handed it on; undefined when it is not an envelope. */
function toFeedEvent(delivery: {
  topic: string;
  partition: number;
  position: string;
  value: string;
}): FeedEvent | undefined {
  const decoded = decodeEnvelope(delivery.value);
  return decoded.ok
    ? {
        topic: delivery.topic,
        partition: delivery.partition,
        position: delivery.position,
        envelope: decoded.envelope,
      }
    : undefined;
}
