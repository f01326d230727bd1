import type { Logger } from 'pino';
import { type Backoff, backoffDelay } from './backoff.js';
import { errorMessage } from './transport.js';

export interface ReconnectingClientOptions<C extends { close(): Promise<void> }> {
  /** Opens a client; called lazily, and again after a failure. */
  readonly open: () => C;
  readonly backoff: Backoff;
  readonly logger?: Logger | undefined;
  /** Names the client in logs. */
  readonly role: string;
}

/**
 * One client of a broker, used by one operation at a time. An operation that fails closes the
 * client (its connections may be broken, its metadata stale); another is opened once a backoff
 * has passed (doubling with each failure in a row, reset by a success), so a broker that is down
 * is not hammered. Operations asked for meanwhile fail at once, saying when it tries again: a
 * caller is never held (the feed retries on its own schedule, a replay answers `unavailable`, and
 * shutdown is not delayed). `close` ends the operation in progress through the `closed` promise
 * each one is given, and refuses later ones.
 */
export class ReconnectingClient<C extends { close(): Promise<void> }> {
  private client: C | undefined;
  private failures = 0;
  private retryAt = 0;
  private lastError = '';
  private queue: Promise<unknown> = Promise.resolve();
  private readonly closing = new AbortController();
  /** Rejects once `close` is called: operations race their waits against it. */
  private readonly closed: Promise<never>;

  constructor(private readonly options: ReconnectingClientOptions<C>) {
    this.closed = new Promise<never>((_, reject) =>
      this.closing.signal.addEventListener('abort', () => reject(closedError()), { once: true }),
    );
    this.closed.catch(() => {});
  }

  /**
   * Runs `work` with the client once the operations before it are done.
   * @throws the error of `work` (the client is then replaced), or an error saying it is closed
   *   or reconnecting.
   */
  use<T>(work: (client: C, closed: Promise<never>) => Promise<T>): Promise<T> {
    const run = this.queue.then(() => this.run(work));
    this.queue = run.catch(() => {});
    return run;
  }

  /** Closes the client; operations waiting or to come reject. */
  async close(): Promise<void> {
    this.closing.abort();
    const client = this.client;
    this.client = undefined;
    await client?.close().catch(() => {});
  }

  private async run<T>(work: (client: C, closed: Promise<never>) => Promise<T>): Promise<T> {
    if (this.closing.signal.aborted) throw closedError();
    const wait = this.retryAt - Date.now();
    if (wait > 0)
      throw new Error(
        `kafka ${this.options.role} client failed (${this.lastError}); reconnecting in ${wait} ms`,
      );
    this.client ??= this.options.open();
    const client = this.client;
    try {
      const result = await Promise.race([work(client, this.closed), this.closed]);
      this.failures = 0;
      return result;
    } catch (error) {
      if (this.closing.signal.aborted) throw closedError();
      this.drop(client, error);
      throw error;
    }
  }

  private drop(client: C, error: unknown): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.failures++;
    this.lastError = errorMessage(error);
    const delay = backoffDelay(this.failures, this.options.backoff);
    this.retryAt = Date.now() + delay;
    this.options.logger?.warn(
      { err: errorMessage(error), client: this.options.role, retryInMs: delay },
      'topic reader: kafka request failed; reconnecting after a backoff',
    );
    void client.close().catch(() => {});
  }
}

const closedError = () => new Error('the topic reader is closed');
