import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, inject } from 'vitest';
import './provided-context.js';

/** A key prefix of its own on the shared test Redis. */
export interface TestRedisNamespace {
  /** URL of the shared test Redis (`inject('redisUrl')`). */
  readonly url: string;
  /** `test:<16 hex>:`; every key the test writes should start with it. */
  readonly keyPrefix: string;
  /** Deletes every key starting with `keyPrefix` (SCAN MATCH + UNLINK). Safe to call again. */
  cleanup(): Promise<void>;
}

/** Creates a fresh namespace without registering hooks; call `cleanup()` yourself. */
export function createTestRedisNamespace(): TestRedisNamespace {
  const url = inject('redisUrl');
  const keyPrefix = `test:${randomBytes(8).toString('hex')}:`;
  const cleanup = async (): Promise<void> => {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await client.connect();
      let cursor = '0';
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
        if (keys.length > 0) await client.unlink(...keys);
        cursor = next;
      } while (cursor !== '0');
    } finally {
      client.disconnect();
    }
  };
  return { url, keyPrefix, cleanup };
}

/**
 * Gives the calling test file a key prefix of its own on the shared Redis; `afterAll` deletes
 * every key under it. `url` and `keyPrefix` are usable immediately.
 */
export function useTestRedis(): { readonly url: string; readonly keyPrefix: string } {
  const namespace = createTestRedisNamespace();
  afterAll(() => namespace.cleanup());
  return { url: namespace.url, keyPrefix: namespace.keyPrefix };
}
