import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRedisServer } from './binaries.js';
import { startRedis } from './redis-server.js';

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

describe('findRedisServer', () => {
  it('names redis-server and how to install it when it is not found', async () => {
    const empty = await mkdtemp(join(dir, 'empty-bin-'));
    expect(() => findRedisServer({ PATH: empty }, [])).toThrow(
      /redis-server.*apt-get install redis-server.*REDIS_URL/s,
    );
  });
});
