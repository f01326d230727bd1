import { Agent } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { type HttpRequest, send } from '../ledger/http-client.js';
import { type LatencySummary, latencySummary } from './figures.js';

/** Options of {@link runPacedClients}. */
export interface PacedClientsOptions {
  readonly origin: URL;
  /** Clients, each with a keep-alive connection of its own, held for the whole run. */
  readonly connections: number;
  /** Requests each client sends a second, on a fixed schedule. */
  readonly perConnectionPerSecond: number;
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
  /** Requests scheduled within the window (all were sent and answered or failed). */
  readonly requests: number;
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
 * request every `1 / perConnectionPerSecond` s on a fixed schedule. Latency runs from the time a
 * request was due, not from when it went out: a client still waiting for its previous answer sends
 * late, and that wait counts (no coordinated omission). Every request due within the window is
 * counted, answered before or after its end.
 */
export async function runPacedClients(options: PacedClientsOptions): Promise<PacedClientsResult> {
  const { connections, next, origin, signal } = options;
  const intervalMs = 1000 / options.perConnectionPerSecond;
  const started = performance.now();
  const windowStart = started + options.rampMs;
  const windowEnd = windowStart + options.durationMs;
  const latencies: number[] = [];
  const agents = Array.from({ length: connections }, () => new OneConnection());
  let errors = 0;
  let late = 0;
  let firstError: string | undefined;

  const client = async (agent: OneConnection, index: number): Promise<void> => {
    // Spread over the ramp, so the connections do not all open in the same millisecond.
    let due = started + (index / connections) * options.rampMs;
    for (; due < windowEnd && !signal?.aborted; due += intervalMs) {
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
    errors,
    perSecond: latencies.length / seconds,
    ...latencySummary(latencies),
    connectionsOpened: agents.reduce((sum, agent) => sum + agent.opened, 0),
    late,
    ...(firstError === undefined ? {} : { firstError }),
  };
}
