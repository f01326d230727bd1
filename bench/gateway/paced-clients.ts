import { Agent } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { type HttpRequest, send } from '../ledger/http-client.js';
import { type LatencySummary, latencySummary } from './figures.js';

/** Options of {@link runPacedClients}. */
export interface PacedClientsOptions {
  readonly origin: URL;
  /** Clients, each with a keep-alive connection of its own, held for the whole run. */
  readonly connections: number;
  /** Each client sends a request every this many ms, on a fixed schedule. */
  readonly intervalMs: number;
  /** The clients start one after the other over this time, which is not measured. */
  readonly rampMs: number;
  /** Measured time after the ramp. */
  readonly durationMs: number;
  readonly next: () => HttpRequest;
  readonly signal?: AbortSignal;
}

/** What the clients measured within the window. */
export interface PacedClientsResult extends LatencySummary {
  readonly connections: number;
  readonly seconds: number;
  /** Requests due within the window that were sent (each then answered or failed). */
  readonly requests: number;
  /**
   * Requests due within the window that were never sent: their client was still waiting for an
   * earlier answer when the window closed. Each is later than any latency measured.
   */
  readonly unsent: number;
  readonly errors: number;
  /** 2xx answers a second. */
  readonly perSecond: number;
  /** TCP connections the clients opened, ramp included: `connections` when none was lost. */
  readonly connectionsOpened: number;
  /** Requests sent later than scheduled because the client's previous one was still unanswered. */
  readonly late: number;
  readonly firstError?: string;
}

/** An agent of one socket that counts the connections it opens (a reconnect shows up here). */
class OneConnection extends Agent {
  opened = 0;
  constructor() {
    super({ keepAlive: true, maxSockets: 1 });
  }
  override createConnection(...args: Parameters<Agent['createConnection']>) {
    this.opened++;
    return super.createConnection(...args);
  }
}

/**
 * Many clients at a modest rate, as many users are (unlike the closed loop, whose few clients
 * send as fast as they are answered). Each client holds one keep-alive connection and sends a
 * request every `intervalMs` on a fixed schedule. Latency runs from the time a
 * request was due, not from when it went out: a client still waiting for its previous answer sends
 * late, and that wait counts (no coordinated omission). Every request due within the window is
 * counted, answered before or after its end.
 */
export async function runPacedClients(options: PacedClientsOptions): Promise<PacedClientsResult> {
  const { connections, next, origin, signal } = options;
  const { intervalMs } = options;
  const started = performance.now();
  const windowStart = started + options.rampMs;
  const windowEnd = windowStart + options.durationMs;
  const latencies: number[] = [];
  const agents = Array.from({ length: connections }, () => new OneConnection());
  let errors = 0;
  let late = 0;
  let firstError: string | undefined;

  let unsent = 0;
  const client = async (agent: OneConnection, index: number): Promise<void> => {
    // Spread over the ramp, so the connections do not all open in the same millisecond.
    let due = started + (index / connections) * options.rampMs;
    // Stops at the end of the window even when behind schedule, so an overloaded gateway cannot
    // stretch the run: what is left unsent is counted instead.
    for (; due < windowEnd && performance.now() < windowEnd; due += intervalMs) {
      if (signal?.aborted) return;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      else if (due >= windowStart) late++;
      let failure: string | undefined;
      try {
        const response = await send(agent, origin, next());
        if (response.status < 200 || response.status > 299)
          failure = `HTTP ${response.status}: ${response.body.slice(0, 500)}`;
      } catch (error) {
        failure = `request failed: ${(error as Error).message}`;
      }
      firstError ??= failure;
      if (due < windowStart) continue;
      if (failure === undefined) latencies.push(performance.now() - due);
      else errors++;
    }
    for (; due < windowEnd; due += intervalMs) if (due >= windowStart) unsent++;
  };

  try {
    await Promise.all(agents.map(client));
  } finally {
    for (const agent of agents) agent.destroy();
  }
  signal?.throwIfAborted();
  const seconds = options.durationMs / 1000;
  return {
    connections,
    seconds,
    requests: latencies.length + errors,
    unsent,
    errors,
    perSecond: latencies.length / seconds,
    // An unsent request is later than any answered one: it counts in the percentiles as
    // Infinity, so a p99 that falls on one says so (JSON writes it as null).
    ...latencySummary(latencies.concat(Array<number>(unsent).fill(Number.POSITIVE_INFINITY))),
    connectionsOpened: agents.reduce((sum, agent) => sum + agent.opened, 0),
    late,
    ...(firstError === undefined ? {} : { firstError }),
  };
}
