import { randomUUID } from 'node:crypto';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import type { Redis } from 'ioredis';
import { RateLimitedError, ServiceUnavailableError } from './errors.js';
import type { AppEnv } from './types.js';

/**
 * Sliding-window log, atomic in Redis: drop entries older than the window, count the rest, admit
 * when under the limit. Redis's own clock is used so every replica of a service agrees.
 * Returns { admitted (1|0), remaining, milliseconds until a slot frees }.
 */
const SLIDING_WINDOW_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count < limit then
  redis.call('ZADD', KEYS[1], now, now .. ':' .. ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return {1, limit - count - 1, window}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {0, 0, tonumber(oldest[2]) + window - now}
`;

export interface RateLimitOptions {
  /** Undefined when Redis is not configured: then `failMode` decides. */
  readonly redis: Redis | undefined;
  /** Requests admitted per window and key. */
  readonly limit: number;
  readonly windowMs: number;
  /** `open` admits requests when Redis fails (availability first); `closed` answers 503. */
  readonly failMode: 'open' | 'closed';
  /**
   * Proxies in front of the service that append to `X-Forwarded-For` and are trusted to. 0 (the
   * default) uses the socket's peer address. Google's external HTTP(S) load balancer appends
   * `<client>, <load balancer>`, so 2 finds the client behind it.
   */
  readonly trustedProxyHops?: number;
  /** Default: the authenticated subject, else the client address. */
  readonly keyOf?: (c: Context<AppEnv>) => string;
  /** Default `ratelimit:`. */
  readonly keyPrefix?: string;
}

type Decision = [admitted: number, remaining: number, resetMs: number];

/** Redis sliding-window rate limiter with IETF `RateLimit-*` headers and `Retry-After` on 429. */
export const rateLimit = ({
  redis,
  limit,
  windowMs,
  failMode,
  trustedProxyHops = 0,
  keyOf = (c) => defaultKey(c, trustedProxyHops),
  keyPrefix = 'ratelimit:',
}: RateLimitOptions): MiddlewareHandler<AppEnv> => {
  let lastWarning = 0;
  return async function rateLimit(c, next) {
    // Without Redis (a local run that said so at start) the fail mode decides, silently.
    if (!redis) return failed(failMode, next);
    let decision: Decision;
    try {
      decision = await slidingWindow(redis, `${keyPrefix}${keyOf(c)}`, windowMs, limit);
    } catch (error) {
      // One line per 10 s is enough to see an outage without flooding the logs under load.
      if (Date.now() - lastWarning > 10_000) {
        lastWarning = Date.now();
        c.get('logger')?.warn({ err: error, failMode }, 'rate limiter unavailable');
      }
      return failed(failMode, next);
    }
    const [admitted, remaining, resetMs] = decision;
    const resetSeconds = Math.max(1, Math.ceil(resetMs / 1000));
    c.header('RateLimit-Policy', `${limit};w=${Math.ceil(windowMs / 1000)}`);
    c.header('RateLimit-Limit', String(limit));
    c.header('RateLimit-Remaining', String(remaining));
    c.header('RateLimit-Reset', String(resetSeconds));
    if (admitted !== 1) throw new RateLimitedError(resetSeconds);
    await next();
  };
};

function failed(failMode: 'open' | 'closed', next: () => Promise<void>): Promise<void> {
  if (failMode === 'closed') throw new ServiceUnavailableError('rate limiter unavailable');
  return next();
}

const COMMAND = 'aiaSlidingWindow';
type SlidingWindowCommand = (
  key: string,
  windowMs: number,
  limit: number,
  id: string,
) => Promise<Decision>;

/** Runs the script by SHA (ioredis falls back to EVAL once per connection when it is not cached). */
function slidingWindow(redis: Redis, key: string, windowMs: number, limit: number) {
  if (!(COMMAND in redis))
    redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: SLIDING_WINDOW_SCRIPT });
  const command = (redis as unknown as Record<string, SlidingWindowCommand>)[
    COMMAND
  ] as SlidingWindowCommand;
  return command.call(redis, key, windowMs, limit, randomUUID());
}

function defaultKey(c: Context<AppEnv>, trustedProxyHops: number): string {
  const subject = c.get('principal')?.subject;
  if (subject) return `sub:${subject}`;
  if (trustedProxyHops > 0) {
    const hops = (c.req.header('X-Forwarded-For') ?? '').split(',').map((hop) => hop.trim());
    const client = hops[hops.length - trustedProxyHops];
    if (client) return `ip:${client}`;
  }
  try {
    return `ip:${getConnInfo(c).remote.address ?? 'unknown'}`;
  } catch {
    return 'ip:unknown';
  }
}
