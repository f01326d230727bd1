import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import pino from 'pino';
import { Registry } from 'prom-client';
import { WebSocket } from 'ws';
import { createJwtVerifier } from '../../../platform/auth.js';
import { encodeEnvelope, newEnvelope } from '../../../platform/events/envelope.js';
import { connectRedisStreams } from '../../../platform/events/redis-streams-transport.js';
import { connectRedisTopicReader } from '../../../platform/events/redis-topic-reader.js';
import type { PublicKeySet } from '../../../platform/jwt-keys.js';
import { createRedis } from '../../../platform/redis.js';
import type { AppEnv } from '../../../platform/types.js';
import { createStreamHub, type StreamHub, type StreamHubOptions } from '../stream-hub.js';

/** A hub served on a free port over a Redis key prefix of its own, and a publisher beside it. */
export interface StreamFixture {
  readonly url: string;
  readonly hub: StreamHub;
  readonly registry: Registry;
  /** Publishes records to `topic` as a producer's relay would (one envelope each). */
  publish(topic: string, key: string, records: readonly unknown[]): Promise<void>;
  /** Deletes every record of `topic` (as retention would), so older cursors expire. */
  trim(topic: string): Promise<void>;
  close(): Promise<void>;
}

export async function startStreamFixture({
  redisUrl,
  keyPrefix,
  publicKeys,
  ...options
}: {
  redisUrl: string;
  keyPrefix: string;
  publicKeys: PublicKeySet;
} & Partial<
  Omit<StreamHubOptions, 'reader' | 'verify' | 'registry' | 'logger'>
>): Promise<StreamFixture> {
  const logger = pino({ level: process.env.STREAM_TEST_LOG ?? 'silent' });
  const redis = createRedis({ url: redisUrl });
  const eventsPrefix = `${keyPrefix}events:`;
  const transport = await connectRedisStreams({ redis, keyPrefix: eventsPrefix, logger });
  const reader = connectRedisTopicReader({ redis, keyPrefix: eventsPrefix, logger });
  const registry = new Registry();
  const hub = createStreamHub({
    reader,
    verify: createJwtVerifier({ publicKeys, issuer: 'aia-platform', audience: 'aia-platform' }),
    registry,
    logger,
    feedWaitMs: 100,
    ...options,
  });
  const app = new Hono<AppEnv>().route('/v1', hub.routes);
  const server = await new Promise<Server>((resolve) => {
    const started = serve(
      {
        fetch: app.fetch,
        hostname: '127.0.0.1',
        port: 0,
        websocket: { server: hub.websocketServer },
      },
      () => resolve(started as Server),
    );
  });
  hub.start();
  await waitFor(
    async () =>
      (await hub.readiness().then(
        () => true,
        () => false,
      )) || undefined,
  );
  const { port } = server.address() as AddressInfo;
  const trimmer = redis.duplicate({ keyPrefix: eventsPrefix });
  return {
    url: `ws://127.0.0.1:${port}/v1/stream`,
    hub,
    registry,
    publish: (topic, key, records) =>
      transport.publish(
        records.map((record) => ({
          topic,
          key,
          value: encodeEnvelope(
            newEnvelope({ topic, key, schemaVersion: 1, producer: 'agent-orchestrator', record }),
          ),
        })),
      ),
    trim: async (topic) => {
      if (trimmer.status === 'wait') await trimmer.connect();
      for (let partition = 0; partition < reader.partitionsOf(topic); partition++)
        await trimmer.xtrim(`${topic}:${partition}`, 'MAXLEN', 0);
    },
    close: async () => {
      await hub.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await transport.close();
      trimmer.disconnect();
      redis.disconnect();
    },
  };
}

/** Polls `probe` every 20 ms until it returns a value (at most `timeoutMs`). */
export async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A test client: every message it received, in order, and a way to wait for more. */
export interface StreamClient {
  readonly socket: WebSocket;
  readonly messages: Record<string, unknown>[];
  send(message: unknown): void;
  /** Waits until `count` messages matching `predicate` arrived; returns them. */
  next(
    predicate: (message: Record<string, unknown>) => boolean,
    count?: number,
  ): Promise<Record<string, unknown>[]>;
  /** Resolves with the close code and reason. */
  readonly closed: Promise<{ code: number; reason: string }>;
}

/** Opens a client; rejects with the HTTP status when the upgrade is refused. */
export function openClient(
  url: string,
  options: { token?: string; protocols?: string[]; origin?: string; autoPong?: boolean } = {},
): Promise<StreamClient> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const socket = new WebSocket(url, options.protocols ?? [], {
    headers,
    ...(options.origin ? { origin: options.origin } : {}),
    autoPong: options.autoPong ?? true,
  });
  const messages: Record<string, unknown>[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(String(data))));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  return new Promise((resolve, reject) => {
    socket.once('unexpected-response', (_request, response) =>
      reject(
        Object.assign(new Error(`refused ${response.statusCode}`), {
          status: response.statusCode,
          headers: response.headers,
        }),
      ),
    );
    socket.once('error', reject);
    socket.once('open', () =>
      resolve({
        socket,
        messages,
        closed,
        send: (message) => socket.send(JSON.stringify(message)),
        next: (predicate, count = 1) =>
          waitFor(() => {
            const found = messages.filter(predicate);
            return found.length >= count ? found : undefined;
          }),
      }),
    );
  });
}
