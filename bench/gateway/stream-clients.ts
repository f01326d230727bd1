import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocket } from 'ws';
import { type LatencySummary, latencySummary } from './figures.js';

/** The hub's address on the gateway and its subprotocol (services/aia-api/stream/). */
export const STREAM_PATH = '/v1/stream';
const STREAM_PROTOCOL = 'aia.stream.v1';
/** How long one connection attempt may take before it counts as failed. */
const HANDSHAKE_TIMEOUT_MS = 10_000;

/** Whether the gateway serves the WebSocket hub, and if not, what it answered. */
export type StreamAvailability =
  | { readonly available: true }
  | { readonly available: false; readonly reason: string };

/** A subscription a client sends once connected (the hub's `subscribe` message). */
export interface StreamSubscription {
  readonly topic: string;
  readonly filter: Readonly<Record<string, string>>;
}

const open = (origin: URL, token: string): WebSocket =>
  new WebSocket(new URL(STREAM_PATH, origin.href.replace(/^http/, 'ws')), [STREAM_PROTOCOL], {
    headers: { authorization: `Bearer ${token}` },
    handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
    perMessageDeflate: false,
  });

/**
 * Tries one WebSocket upgrade to `/v1/stream` with `token`: the benchmark holds WebSocket
 * connections only when the gateway accepts one (a gateway without the hub answers 404).
 */
export function probeStream(origin: URL, token: string): Promise<StreamAvailability> {
  return new Promise((resolve) => {
    const socket = open(origin, token);
    socket.once('open', () => {
      socket.close(1000);
      resolve({ available: true });
    });
    socket.once('unexpected-response', (_request, response) => {
      response.resume();
      socket.terminate();
      resolve({
        available: false,
        reason: `GET ${STREAM_PATH} with a WebSocket upgrade answered HTTP ${response.statusCode}${response.statusCode === 404 ? ' (the gateway does not serve the hub yet)' : ''}`,
      });
    });
    socket.once('error', (error) => resolve({ available: false, reason: error.message }));
  });
}

/** Options of {@link holdStreams}. */
export interface HoldStreamsOptions {
  readonly origin: URL;
  readonly token: string;
  readonly connections: number;
  /** Connections open one after the other over this time. */
  readonly rampMs: number;
  /** How long all are held after the ramp. */
  readonly durationMs: number;
  /** What connection `index` subscribes to. */
  readonly subscription: (index: number) => StreamSubscription;
  readonly signal?: AbortSignal;
}

/** What the held connections saw. */
export interface HoldStreamsResult {
  readonly connections: number;
  readonly opened: number;
  /** Upgrades refused or not answered in time. */
  readonly failed: number;
  /** Connections whose subscription was confirmed (`subscribed`). */
  readonly subscribed: number;
  /** Opened connections that closed before the end of the hold: dropped by the hub or the network. */
  readonly closedEarly: number;
  /** `event` messages received, `error` messages received, and the hub's heartbeat pings. */
  readonly events: number;
  readonly errorMessages: number;
  readonly pings: number;
  /** From the attempt to the open socket. */
  readonly connect: LatencySummary;
  /** From `subscribe` sent to `subscribed` received. */
  readonly subscribe: LatencySummary;
  readonly firstError?: string;
}

/**
 * Opens `connections` WebSockets to the hub over the ramp, each subscribing once, holds them all
 * until the end of the window (answering the hub's pings, as `ws` does), then closes them (1000).
 */
export async function holdStreams(options: HoldStreamsOptions): Promise<HoldStreamsResult> {
  const { connections, origin, token, signal } = options;
  const started = performance.now();
  const end = started + options.rampMs + options.durationMs;
  const connectMs: number[] = [];
  const subscribeMs: number[] = [];
  const counts = {
    opened: 0,
    failed: 0,
    subscribed: 0,
    closedEarly: 0,
    events: 0,
    errors: 0,
    pings: 0,
  };
  let firstError: string | undefined;
  const sockets: WebSocket[] = [];
  let ending = false;

  const connect = async (index: number): Promise<void> => {
    await sleep(Math.max(0, started + (index / connections) * options.rampMs - performance.now()));
    if (signal?.aborted) return;
    const attempt = performance.now();
    const socket = open(origin, token);
    sockets.push(socket);
    let subscribedAt: number | undefined;
    await new Promise<void>((resolve) => {
      // Whichever comes first settles the attempt; an aborted handshake also emits `error`.
      let settled = false;
      const fail = (reason: string): void => {
        if (settled) return;
        settled = true;
        counts.failed++;
        firstError ??= reason;
        resolve();
      };
      socket.once('open', () => {
        settled = true;
        counts.opened++;
        connectMs.push(performance.now() - attempt);
        const { topic, filter } = options.subscription(index);
        subscribedAt = performance.now();
        socket.send(JSON.stringify({ type: 'subscribe', id: `s${index}`, topic, filter }));
        resolve();
      });
      socket.once('unexpected-response', (_request, response) => {
        response.resume();
        fail(`upgrade answered HTTP ${response.statusCode}`);
        socket.terminate();
      });
      socket.on('error', (error) => {
        if (settled) firstError ??= error.message;
        else fail(error.message);
      });
    });
    socket.on('ping', () => counts.pings++);
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type?: string; code?: string; detail?: string };
      if (message.type === 'subscribed' && subscribedAt !== undefined) {
        counts.subscribed++;
        subscribeMs.push(performance.now() - subscribedAt);
      } else if (message.type === 'event') counts.events++;
      else if (message.type === 'error') {
        counts.errors++;
        firstError ??= `error message: ${message.code}: ${message.detail}`;
      }
    });
    socket.once('close', (code, reason) => {
      if (ending || subscribedAt === undefined) return;
      counts.closedEarly++;
      firstError ??= `closed early: ${code} ${reason.toString()}`;
    });
  };

  await Promise.all(Array.from({ length: connections }, (_, index) => connect(index)));
  await sleep(Math.max(0, end - performance.now()), undefined, signal ? { signal } : {}).catch(
    () => {},
  );
  ending = true;
  await Promise.all(
    sockets.map(
      (socket) =>
        new Promise<void>((resolve) => {
          if (socket.readyState === WebSocket.CLOSED) return resolve();
          socket.once('close', () => resolve());
          socket.close(1000);
          setTimeout(() => {
            socket.terminate();
            resolve();
          }, 2_000).unref();
        }),
    ),
  );
  signal?.throwIfAborted();
  return {
    connections,
    opened: counts.opened,
    failed: counts.failed,
    subscribed: counts.subscribed,
    closedEarly: counts.closedEarly,
    events: counts.events,
    errorMessages: counts.errors,
    pings: counts.pings,
    connect: latencySummary(connectMs),
    subscribe: latencySummary(subscribeMs),
    ...(firstError === undefined ? {} : { firstError }),
  };
}
