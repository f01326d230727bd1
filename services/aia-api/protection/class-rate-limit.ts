import type { MiddlewareHandler } from 'hono';
import type { Redis } from 'ioredis';
import { rateLimit } from '../../platform/rate-limit.js';
import type { AppEnv } from '../../platform/types.js';
import type { RequestClass } from '../routing/route-classes.js';
import { requestClassOfPath } from './request-limits.js';

export interface ClassRateLimitOptions {
  readonly redis: Redis | undefined;
  /**
   * Requests per caller and window for the classes limited beyond the kit's `RATE_LIMIT_MAX`
   * (which bounds all of a caller's requests together); a class left out has only that limit.
   */
  readonly limits: Partial<Readonly<Record<RequestClass, number>>>;
  readonly windowMs: number;
  readonly failMode: 'open' | 'closed';
  readonly trustedProxyHops: number;
}

/**
 * The kit's rate limiter once more per route class: each caller (token subject, else client
 * address, as the kit keys) has a budget of its own per class (`ratelimit:class:<class>:`), so a
 * caller who spends its `a2a` budget on agent calls can still read the ledger. A refusal is the
 * kit's 429 with `Retry-After`; the `RateLimit-*` headers are the tighter class's.
 */
export function classRateLimit({
  limits,
  ...shared
}: ClassRateLimitOptions): MiddlewareHandler<AppEnv> {
  const limiters = new Map(
    Object.entries(limits).map(([requestClass, limit]) => [
      requestClass,
      rateLimit({ ...shared, limit, keyPrefix: `ratelimit:class:${requestClass}:` }),
    ]),
  );
  return async function classRateLimit(c, next) {
    const limiter = limiters.get(requestClassOfPath(c.req.path, c.req.header('accept')));
    return limiter ? limiter(c, next) : next();
  };
}
