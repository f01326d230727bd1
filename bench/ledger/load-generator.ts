import { Agent } from 'node:http';
import { type HttpRequest, send } from './http-client.js';
import { percentile } from './percentiles.js';

/** Options of `runClosedLoop`. */
export interface ClosedLoopOptions {
  /** Service origins, e.g. `http://127.0.0.1:8001`: client i talks to origin i mod n (replicas). */
  readonly origins: readonly URL[];
  /** Concurrent workers, each with at most one request in flight. */
  readonly clients: number;
  /** Excluded from the figures: lets the JIT, connection pools and caches settle. */
  readonly warmupMs: number;
  /** Measured time after the warm-up. */
  readonly durationMs: number;
  /** The next request to send; called once per request, so it may randomise the body. */
  readonly next: () => HttpRequest;
  /** Stops the run early (Ctrl-C); the promise then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** What a closed-loop run measured within its measurement window. */
export interface ClosedLoopResult {
  readonly clients: number;
  /** Length of the measurement window, in seconds. */
  readonly seconds: number;
  /** 2xx responses to requests sent and answered within the window. */
  readonly succeeded: number;
  /** Non-2xx responses and transport errors within the window. */
  readonly errors: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Status and body (or error message) of the first failure seen, warm-up included. */
  readonly firstError?: string;
}

/**
 * A closed-loop load generator: `clients` workers, each sending its next request as soon as the
 * previous one was answered, over one keep-alive connection each (so no TCP handshakes are
 * measured, as pgbench's clients keep their connections). Only requests started after the
 * warm-up and answered before the end count; latency is the request's wall time on this side.
 * Closed loop means throughput and latency are coupled: a slower server gets fewer requests.
 */
export async function runClosedLoop(options: ClosedLoopOptions): Promise<ClosedLoopResult> {
  const { clients, origins, next, signal } = options;
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const started = performance.now();
  const windowStart = started + options.warmupMs;
  const windowEnd = windowStart + options.durationMs;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;

  const worker = async (_: unknown, index: number): Promise<void> => {
    const origin = origins[index % origins.length] as URL;
    while (!signal?.aborted) {
      const sentAt = performance.now();
      if (sentAt >= windowEnd) return;
      let failure: string | undefined;
      try {
        const response = await send(agent, origin, next());
        if (response.status < 200 || response.status > 299) {
          failure = `HTTP ${response.status}: ${response.body.slice(0, 500)}`;
        }
      } catch (error) {
        failure = `request failed: ${(error as Error).message}`;
      }
      const answeredAt = performance.now();
      firstError ??= failure;
      if (sentAt < windowStart || answeredAt > windowEnd) continue;
      if (failure === undefined) latencies.push(answeredAt - sentAt);
      else errors++;
    }
  };

  try {
    await Promise.all(Array.from({ length: clients }, worker));
  } finally {
    agent.destroy();
  }
  signal?.throwIfAborted();
  latencies.sort((a, b) => a - b);
  const seconds = options.durationMs / 1000;
  return {
    clients,
    seconds,
    succeeded: latencies.length,
    errors,
    perSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    ...(firstError === undefined ? {} : { firstError }),
  };
}
