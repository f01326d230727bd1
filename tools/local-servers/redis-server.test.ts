import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRedisServer } from './binaries.js';
import { startRedis } from './redis-server.js';
import { createLocalTls } from './tls-certificates.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'redis-server-test-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('startRedis', () => {
  it('serves SET and GET on 127.0.0.1 until stopped, and stop() is idempotent', async () => {
    const server = await startRedis({ dir });
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    const client = new Redis(server.url);
    try {
      await client.set('greeting', 'hello');
      expect(await client.get('greeting')).toBe('hello');
    } finally {
      client.disconnect();
      await server.stop();
    }
    await expect(server.stop()).resolves.toBeUndefined();
    const late = new Redis(server.url, { lazyConnect: true, retryStrategy: () => null });
    late.on('error', () => {});
    await expect(late.connect()).rejects.toThrow();
    late.disconnect();
  });

  it('keeps data across restarts when persistent', async () => {
    const persistentDir = join(dir, 'persistent');
    const first = await startRedis({ dir: persistentDir, persistent: true });
    const writer = new Redis(first.url);
    await writer.set('kept', 'yes');
    writer.disconnect();
    await first.stop();

    const second = await startRedis({ dir: persistentDir, persistent: true });
    const reader = new Redis(second.url);
    try {
      expect(await reader.get('kept')).toBe('yes');
    } finally {
      reader.disconnect();
      await second.stop();
    }
  });
});

describe('startRedis with TLS and a password, as Memorystore runs', () => {
  it('answers only over TLS trusting its CA, and only after AUTH', async () => {
    const tls = await createLocalTls(join(dir, 'tls'), 'redis');
    const server = await startRedis({ dir: join(dir, 'tls-data'), tls, password: 'p@ss word' });
    const quiet = { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 };
    const clients: Redis[] = [];
    const client = (url: string, options: object) => {
      const redis = new Redis(url, { ...quiet, ...options });
      redis.on('error', () => {});
      clients.push(redis);
      return redis;
    };
    try {
      expect(server.url).toBe(`rediss://:p%40ss%20word@127.0.0.1:${server.port}`);
      const trusting = client(server.url, { tls: { ca: readFileSync(tls.caFile) } });
      expect(await trusting.ping()).toBe('PONG');
      // ioredis reports why a connection failed on 'error'; connect() only says it closed.
      const untrusting = client(server.url, {});
      const refused = new Promise<Error>((resolve) => untrusting.once('error', resolve));
      await untrusting.connect().catch(() => {});
      expect((await refused).message).toMatch(/self-signed certificate/);
      const plain = client(`redis://:p%40ss%20word@127.0.0.1:${server.port}`, {});
      await expect(plain.connect().then(() => plain.ping())).rejects.toThrow();
      const anonymous = client(`rediss://127.0.0.1:${server.port}`, {
        tls: { ca: readFileSync(tls.caFile) },
      });
      await expect(anonymous.ping()).rejects.toThrow(/NOAUTH/);
    } finally {
      for (const redis of clients) redis.disconnect();
      await server.stop();
    }
  });
});

describe('findRedisServer', () => {
  it('names redis-server and how to install it when it is not found', async () => {
    const empty = await mkdtemp(join(dir, 'empty-bin-'));
    expect(() => findRedisServer({ PATH: empty }, [])).toThrow(
      /redis-server.*apt-get install redis-server.*REDIS_URL/s,
    );
  });
});
