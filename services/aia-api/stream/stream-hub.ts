import { upgradeWebSocket } from '@hono/node-server';
import { Hono } from 'hono';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { type WebSocket, WebSocketServer } from 'ws';
import type { JwtVerifier } from '../../platform/auth.js';
import type { TopicReader } from '../../platform/events/topic-reader.js';
import type { AppEnv } from '../../platform/types.js';
import { EventFeed } from './event-feed.js';
import { STREAM_PROTOCOL } from './protocol.js';
import { authenticateUpgrade } from './stream-auth.js';
import { CLOSE_GOING_AWAY, type ConnectionLimits, StreamConnection } from './stream-connection.js';
import { streamMetrics } from './stream-metrics.js';
import { streamScopes, streamTopicNames } from './stream-topics.js';
import type { Subscription } from './subscription.js';
import type { TaskAccess } from './task-access.js';

/** Records read per page when a subscription replays from a cursor. */
const REPLAY_BATCH = 500;

/** The hub's path under `/v1`. */
export const STREAM_PATH = '/stream';

/** Defaults of the hub's limits (docs/gateway.md "Live events"). */
export const STREAM_DEFAULTS = {
  heartbeatMs: 30_000,
  maxBufferedBytes: 1024 * 1024,
  maxSubscriptions: 32,
  maxHeldEvents: 10_000,
  replayBatch: REPLAY_BATCH,
  closeGraceMs: 2_000,
  maxMessageBytes: 16 * 1024,
} as const;

export interface StreamHubOptions extends Partial<ConnectionLimits> {
  readonly reader: TopicReader;
  readonly verify: JwtVerifier;
  readonly registry: Registry;
  readonly logger: Logger;
  /** Who may read a task (the orchestrator's answer); without it only `agents:admin` may. */
  readonly taskAccess?: TaskAccess;
  /** Browser origins besides the gateway's own that may connect (the CORS origins). */
  readonly allowedOrigins?: readonly string[];
  /** Ping interval; a client that has not answered the previous ping by the next is closed. */
  readonly heartbeatMs?: number;
  /** Largest client message. */
  readonly maxMessageBytes?: number;
  /** Longest wait of one read of the bus by the feed. */
  readonly feedWaitMs?: number;
}

/** The live-event hub of one gateway replica. */
export interface StreamHub {
  /** `GET /stream`, to mount on the `/v1` router; authenticates itself (not the kit). */
  readonly routes: Hono<AppEnv>;
  /** The `ws` server to give `serve({ websocket: { server } })`. */
  readonly websocketServer: WebSocketServer;
  /** Starts the feed (in the background) and the heartbeat. */
  start(): void;
  /** For `/readyz` (optional: the gateway serves the rest without it). */
  readonly readiness: () => Promise<void>;
  /** Closes every client (1001: reconnect with your cursor) and stops the feed; idempotent. */
  close(): Promise<void>;
}

/**
 * The WebSocket hub at `/v1/stream` (issue 20, item 4): authenticated at the upgrade, one feed of
 * the bus per replica, subscriptions by topic and filter within the caller's scopes, heartbeats,
 * a bounded send buffer per client, and resume from a cursor.
 */
export function createStreamHub(options: StreamHubOptions): StreamHub {
  const { reader, verify, registry, logger } = options;
  const limits: ConnectionLimits = {
    maxBufferedBytes: options.maxBufferedBytes ?? STREAM_DEFAULTS.maxBufferedBytes,
    maxSubscriptions: options.maxSubscriptions ?? STREAM_DEFAULTS.maxSubscriptions,
    maxHeldEvents: options.maxHeldEvents ?? STREAM_DEFAULTS.maxHeldEvents,
    replayBatch: options.replayBatch ?? STREAM_DEFAULTS.replayBatch,
    closeGraceMs: options.closeGraceMs ?? STREAM_DEFAULTS.closeGraceMs,
  };
  const metrics = streamMetrics(registry);
  const feed = new EventFeed({
    reader,
    topics: streamTopicNames,
    logger,
    ...(options.feedWaitMs ? { waitMs: options.feedWaitMs } : {}),
  });
  const connections = new Set<StreamConnection>();
  const byTopic = new Map<string, Map<Subscription, StreamConnection>>();
  feed.listen((event) => {
    for (const [subscription, connection] of byTopic.get(event.topic) ?? [])
      connection.live(subscription, event);
  });

  const websocketServer = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxMessageBytes ?? STREAM_DEFAULTS.maxMessageBytes,
    perMessageDeflate: false,
    // Selects the stream's protocol, never the `aia.bearer.<token>` one beside it.
    handleProtocols: (offered: Set<string>) =>
      offered.has(STREAM_PROTOCOL) ? STREAM_PROTOCOL : false,
  });

  const routes = new Hono<AppEnv>();
  routes.get(STREAM_PATH, async (c, next) => {
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket')
      return c.json(
        {
          type: 'urn:aia:problem:upgrade_required',
          title: 'Upgrade Required',
          status: 426,
          detail: 'connect with a WebSocket client',
        },
        426,
        { upgrade: 'websocket' },
      );
    const caller = await authenticateUpgrade(c, {
      verify,
      allowedOrigins: options.allowedOrigins ?? [],
      scopes: streamScopes,
    });
    if (!caller.ok) {
      metrics.refused.inc({ status: String(caller.status) });
      const challenge: Record<string, string> =
        caller.status === 401
          ? {
              'www-authenticate': `Bearer realm="aia", error="invalid_token", error_description="${caller.reason}"`,
            }
          : {};
      return c.body(null, caller.status, challenge);
    }
    const upgrade = upgradeWebSocket(() => ({
      onOpen: (_event, ws) => {
        const socket = ws.raw as unknown as WebSocket;
        const connection = new StreamConnection(socket, caller, {
          feed,
          reader,
          taskAccess: options.taskAccess,
          metrics,
          logger,
          limits,
          index: (subscription, present) => {
            const subscribers = byTopic.get(subscription.topic) ?? new Map();
            byTopic.set(subscription.topic, subscribers);
            if (present) subscribers.set(subscription, connection);
            else subscribers.delete(subscription);
          },
        });
        connections.add(connection);
        metrics.clients.set(connections.size);
        socket.on('message', (data, isBinary) => {
          if (isBinary) return void connection.receive('');
          void connection.receive(Buffer.isBuffer(data) ? data.toString('utf8') : String(data));
        });
        socket.on('close', () => {
          connection.ended();
          connections.delete(connection);
          metrics.clients.set(connections.size);
        });
      },
    }));
    return upgrade(c, next);
  });

  let heartbeat: NodeJS.Timeout | undefined;
  let closing: Promise<void> | undefined;
  return {
    routes,
    websocketServer,
    start: () => {
      feed.start();
      heartbeat ??= setInterval(() => {
        for (const connection of connections) {
          if (!connection.alive) {
            metrics.deadPeersClosed.inc();
            connection.ended();
            connection.socket.terminate();
            continue;
          }
          connection.alive = false;
          connection.socket.ping();
        }
      }, options.heartbeatMs ?? STREAM_DEFAULTS.heartbeatMs);
      heartbeat.unref();
    },
    readiness: feed.readiness,
    close: () => {
      closing ??= (async () => {
        clearInterval(heartbeat);
        for (const connection of connections)
          connection.close(
            CLOSE_GOING_AWAY,
            'the gateway is shutting down: reconnect with your cursor',
          );
        // The reader closes first: a read waiting on the bus (blocked, or on a Redis that went
        // away) ends with it instead of holding shutdown.
        const feedStopped = feed.stop().catch(() => {});
        await reader.close();
        await feedStopped;
        websocketServer.close();
      })();
      return closing;
    },
  };
}
