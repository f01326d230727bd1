import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openTransport, until } from '../../../test/events/fixtures.js';
import { useTestRedis } from '../../../test/harness/index.js';
import { createRedis } from '../redis.js';
import { connectRedisStreams } from './redis-streams-transport.js';
import type { Delivery } from './transport.js';

const redis = useTestRedis();
const TOPIC = 'aia.ledger.transfers.v1';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A free local port, nothing listening on it. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

/** Starts forwarding `port` to the test Redis: the Redis "comes back". */
async function forward(port: number, to: URL): Promise<Server> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = tcpConnect(Number(to.port), to.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return server;
}

describe('Redis Streams transport while Redis is unreachable', () => {
  it('subscribes without waiting, reports the member in readiness, and consumes once Redis answers', async () => {
    const target = new URL(redis.url);
    const port = await freePort();
    const behindPort = new URL(redis.url);
    behindPort.hostname = '127.0.0.1';
    behindPort.port = String(port);
    const place = { redisUrl: redis.url, keyPrefix: `${redis.keyPrefix}outage:` };
    const template = createRedis({ url: behindPort.toString() });
    const transport = await connectRedisStreams({
      redis: template,
      keyPrefix: `${place.keyPrefix}events:`,
      leaseMs: 1_000,
      blockMs: 200,
      joinBackoff: { initialMs: 50, maxMs: 200 },
    });
    cleanups.push(async () => {
      await transport.close();
      template.disconnect();
    });
    const handled: Delivery[] = [];
    const member = await transport.consume({
      group: `outage-${randomUUID()}`,
      topics: [TOPIC],
      handle: async (delivery) => {
        handled.push(delivery);
      },
    });
    cleanups.push(() => member.stop());
    const signal = new AbortController().signal;
    await expect(transport.readiness(signal)).rejects.toThrow();

    await forward(port, target);
    await until('readiness recovered', () =>
      transport.readiness(signal).then(
        () => true,
        () => false,
      ),
    );
    const producer = await openTransport('redis', place);
    cleanups.push(() => producer.close());
    const key = `outage-${randomUUID()}`;
    await producer.transport.publish([{ topic: TOPIC, key, value: 'hello' }]);
    await until('the record was consumed', () => handled.some((d) => d.key === key));
  });

  it('readiness passes once the member reads, and forgets a member that stopped', async () => {
    const place = { redisUrl: redis.url, keyPrefix: `${redis.keyPrefix}outage-ok:` };
    const { transport, close } = await openTransport('redis', place);
    cleanups.push(close);
    const member = await transport.consume({
      group: `healthy-${randomUUID()}`,
      topics: [TOPIC],
      handle: async () => {},
    });
    cleanups.push(() => member.stop());
    const signal = new AbortController().signal;
    await until('the member reads', () =>
      transport.readiness(signal).then(
        () => true,
        () => false,
      ),
    );
    await member.stop();
    await expect(transport.readiness(signal)).resolves.toBeUndefined();
  });
});
