import { isIP } from 'node:net';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { readPemCa } from './pem-ca.js';

export interface RedisOptions {
  readonly url: string;
  /** Prepended to every key, for example `aia:economic-governor:`. */
  readonly keyPrefix?: string;
  readonly logger?: Logger;
  /** Per-command timeout. Default 1000 ms: a slow Redis must not hold requests hostage. */
  readonly commandTimeoutMs?: number;
  /**
   * PEM CA certificates to verify a `rediss://` server with, instead of Node's public CAs
   * (which never trust Memorystore's per-instance CA). Default: Node's public CAs.
   */
  readonly tlsCa?: string;
}

/**
 * ioredis client that fails fast while disconnected (no offline queue) and keeps reconnecting
 * in the background. Call `connect()` once; a failed first connect is retried like any other.
 * @example
 * const redis = createRedis({ url: 'rediss://:auth@10.0.0.4:6378', tlsCa: readRedisCa(name, file) });
 */
export function createRedis({
  url,
  keyPrefix,
  logger,
  commandTimeoutMs = 1_000,
  tlsCa,
}: RedisOptions): Redis {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout: commandTimeoutMs,
    keyPrefix,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    // ioredis makes rediss:// `tls: true`; options given here take precedence over that.
    ...(tlsCa === undefined
      ? {}
      : { tls: { ca: tlsCa, checkServerIdentity: checkRedisServerIdentity } }),
  });
  return logRedisErrors(redis, logger);
}

/**
 * Logs a connection's errors, one line per 30 s (reconnect attempts raise one each), instead of
 * ioredis's "Unhandled error event". `duplicate()` copies no listeners: call it on each copy.
 */
export function logRedisErrors<R extends Redis>(redis: R, logger?: Logger, what = 'redis'): R {
  let lastLogged = 0;
  redis.on('error', (error: Error) => {
    if (Date.now() - lastLogged < 30_000) return;
    lastLogged = Date.now();
    logger?.warn({ err: error }, `${what} unavailable, retrying`);
  });
  return redis;
}

/**
 * Node matches an IP host only against a certificate's IP subjectAltNames, and Memorystore's
 * server certificate names the instance's IP in its subject CN alone: for an IP host the CN is
 * accepted too. The chain is still verified against the instance's own CA (`tlsCa`), and any
 * other name is still refused.
 */
export function checkRedisServerIdentity(host: string, cert: PeerCertificate): Error | undefined {
  const error = checkServerIdentity(host, cert);
  if (error && isIP(host) !== 0 && cert.subject?.CN === host) return undefined;
  return error;
}

/** Readiness: a PING that must answer before the check's timeout. */
export const redisReadiness = (redis: Redis) => async () => {
  await redis.ping();
};

/**
 * The PEM CA file named by REDIS_CA_CERT_FILE, read once at start.
 * @throws ConfigError naming REDIS_CA_CERT_FILE when the file cannot be read or holds no
 * certificate: a service that cannot verify its Redis must not start as if it could.
 */
export const readRedisCa = (service: string, file: string): string =>
  readPemCa(service, 'REDIS_CA_CERT_FILE', file);
