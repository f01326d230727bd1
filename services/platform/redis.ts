import { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface RedisOptions {
  readonly url: string;
  /** Prepended to every key, for example `aia:economic-governor:`. */
  readonly keyPrefix?: string;
  readonly logger?: Logger;
  /** Per-command timeout. Default 1000 ms: a slow Redis must not hold requests hostage. */
  readonly commandTimeoutMs?: number;
}

/**
 * ioredis client that fails fast while disconnected (no offline queue) and keeps reconnecting
 * in the background. Call `connect()` once; a failed first connect is retried like any other.
 */
export function createRedis({
  url,
  keyPrefix,
  logger,
  commandTimeoutMs = 1_000,
}: RedisOptions): Redis {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout: commandTimeoutMs,
    keyPrefix,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  let lastLogged = 0;
  redis.on('error', (error: Error) => {
    // Reconnect attempts raise an error each; one line per 30 s is enough to see the outage.
    if (Date.now() - lastLogged < 30_000) return;
    lastLogged = Date.now();
    logger?.warn({ err: error }, 'redis unavailable, retrying');
  });
  return redis;
}

/** Readiness: a PING that must answer before the check's timeout. */
export const redisReadiness = (redis: Redis) => async () => {
  await redis.ping();
};
