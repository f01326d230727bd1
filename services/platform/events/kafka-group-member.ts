import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { type Backoff, backoffDelay } from './backoff.js';
import { type Delivery, errorMessage, type GroupMemberHealth } from './transport.js';

/** A fetched record, as the Kafka client hands it over: committed once handled. */
export interface GroupMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly key: string | null | undefined;
  readonly value: string | null | undefined;
  commit(): Promise<void> | void;
}

/** One membership of the group: a consumer joined with a set of topics, and its stream. */
export interface GroupSession {
  readonly messages: AsyncIterable<GroupMessage>;
  /** Closes the stream and leaves the group; idempotent. */
  close(): Promise<void>;
}

/**
 * Joins the group for `topics` and starts the stream. `signal` aborts when the member closes or
 * its topics change: a join in progress should then give up and close what it created (once a
 * session is returned, the member closes it itself).
 */
export type OpenGroupSession = (
  topics: readonly string[],
  signal: AbortSignal,
) => Promise<GroupSession>;

export interface KafkaGroupMemberOptions {
  readonly group: string;
  readonly open: OpenGroupSession;
  readonly logger?: Logger;
  /** Waits before joining again after a failure. Default 500 ms doubling to 30 s. */
  readonly backoff?: Backoff;
  /** Wait before a record whose handler failed is tried again. Default 1 s. */
  readonly handlerRetryMs?: number;
}

/**
 * The one member of consumer group `group` in this process, reading every topic the process
 * subscribed to in that group and handing each record to its topic's handler. One consumer per
 * group matters on Kafka: the group's leader assigns the topics of its own subscription over
 * all members, so members of one group with different topics would be given partitions they
 * never fetch. Joining happens in the background: a broker that cannot be reached at start, or
 * a stream that fails later (a commit refused during a rebalance ends it), closes that
 * membership and joins again with backoff, and `health()` says so meanwhile (readiness).
 */
export class KafkaGroupMember {
  private readonly handlers = new Map<string, (delivery: Delivery) => Promise<void>>();
  private current: AbortController | undefined;
  private closed = false;
  private status: GroupMemberHealth = { state: 'joining' };
  private readonly idle = new AbortController();
  private wake = new AbortController();
  /** Resolves when the session of the moment (if any) has ended and been closed. */
  private sessionEnded: Promise<void> = Promise.resolve();
  private readonly running: Promise<void>;

  constructor(private readonly options: KafkaGroupMemberOptions) {
    this.running = this.run();
  }

  health(): GroupMemberHealth {
    return this.status;
  }

  /** Topics this member reads. */
  get topics(): string[] {
    return [...this.handlers.keys()];
  }

  /**
   * Adds `topic` with its handler and rejoins the group with it (records in hand finish first).
   * @throws Error when the topic already has a handler in this group.
   */
  add(topic: string, handle: (delivery: Delivery) => Promise<void>): void {
    if (this.closed) throw new Error(`consumer group ${this.options.group} is closed`);
    if (this.handlers.has(topic)) {
      throw new Error(`${topic} is already consumed in group ${this.options.group} here`);
    }
    this.handlers.set(topic, handle);
    this.restart();
  }

  /** Removes `topic`: once the record in hand is done, the group is rejoined without it. */
  async remove(topic: string): Promise<void> {
    if (!this.handlers.delete(topic)) return;
    const ended = this.sessionEnded;
    this.restart();
    await ended;
  }

  /** Leaves the group: the record in hand finishes, the consumer is closed. */
  async close(): Promise<void> {
    this.closed = true;
    this.restart();
    this.idle.abort();
    await this.running;
  }

  private restart(): void {
    this.current?.abort();
    this.wake.abort();
  }

  private async run(): Promise<void> {
    const { group, open, logger, backoff = { initialMs: 500 } } = this.options;
    let failures = 0;
    while (!this.closed) {
      if (this.handlers.size === 0) {
        this.status = { state: 'joining' };
        this.wake = new AbortController();
        await this.pause(60_000);
        continue;
      }
      // Subscriptions made one after another start together, not one rejoin each.
      await new Promise((resolve) => setImmediate(resolve));
      if (this.closed) break;
      const attempt = new AbortController();
      this.current = attempt;
      this.wake = new AbortController();
      this.status = { state: 'joining' };
      const topics = this.topics.sort();
      let session: GroupSession | undefined;
      let markEnded = () => {};
      this.sessionEnded = new Promise((resolve) => {
        markEnded = resolve;
      });
      let failure: unknown;
      try {
        const opened = await open(topics, attempt.signal);
        session = opened;
        // A change of topics or close ends the stream, so the loop below stops waiting on it.
        const interrupt = () => void opened.close().catch(() => {});
        if (attempt.signal.aborted) interrupt();
        else attempt.signal.addEventListener('abort', interrupt, { once: true });
        if (!attempt.signal.aborted) {
          this.status = { state: 'reading' };
          failures = 0;
          for await (const message of session.messages) {
            await this.dispatch(message, attempt.signal);
            if (attempt.signal.aborted) break;
          }
          if (!attempt.signal.aborted) failure = new Error('the consumer stream ended');
        }
      } catch (error) {
        if (!attempt.signal.aborted) failure = error;
      }
      // Leave before waiting: a consumer left open would keep heartbeating, holding partitions
      // it no longer reads.
      await session?.close().catch((error: unknown) => {
        logger?.warn({ err: error, group }, 'event bus: kafka consumer did not close cleanly');
      });
      markEnded();
      if (failure === undefined) continue;
      failures++;
      this.status = { state: 'failed', error: errorMessage(failure) };
      const delay = backoffDelay(failures, backoff);
      logger?.error(
        { err: failure, group, topics, retryInMs: delay },
        'event bus: kafka consumer failed; joining the group again',
      );
      await this.pause(delay);
    }
    this.markClosed();
  }

  /**
   * One record at a time keeps each partition in order; a record whose handler fails is tried
   * again in place. A commit that fails (the group is rebalancing, the stream is gone) ends the
   * session: the member joins again and the uncommitted record is delivered again.
   */
  private async dispatch(message: GroupMessage, signal: AbortSignal): Promise<void> {
    const handle = this.handlers.get(message.topic);
    if (!handle) return;
    const delivery: Delivery = {
      topic: message.topic,
      partition: message.partition,
      position: message.offset.toString(),
      key: message.key ?? '',
      value: message.value ?? '',
    };
    for (;;) {
      if (signal.aborted) return;
      try {
        await handle(delivery);
        break;
      } catch (error) {
        // Left uncommitted when the member stops or rejoins: it is delivered again.
        if (signal.aborted) return;
        this.options.logger?.warn(
          {
            err: error,
            topic: delivery.topic,
            partition: delivery.partition,
            group: this.options.group,
          },
          'event bus: record not handled; trying again',
        );
        const retried = await sleep(this.options.handlerRetryMs ?? 1_000, true, { signal }).catch(
          () => false,
        );
        if (!retried) return;
      }
    }
    await message.commit();
  }

  /** Waits `ms`, cut short by a change of topics or by close. */
  private async pause(ms: number): Promise<void> {
    const signal = AbortSignal.any([this.wake.signal, this.idle.signal]);
    await sleep(ms, undefined, { signal }).catch(() => {});
  }

  private markClosed(): void {
    this.status = { state: 'failed', error: 'closed' };
  }
}
