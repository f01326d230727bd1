import { z } from 'zod';
import { rateLimitEnv } from '../../services/platform/env.js';

const MINUTE_MS = 60_000;

/**
 * The two limits a load check through a stack's gateway runs into, per minute: the gateway's own
 * (`RATE_LIMIT_MAX` per `RATE_LIMIT_WINDOW_MS`, keyed by the token's subject: the check has one
 * token) and Cloud Armor's throttle at the edge (`services.rateLimitPerMinute`, per client IP: the
 * check runs from one runner). A 429 from either counts as an error.
 */
export interface LoadLimits {
  readonly gatewayPerMinute: number;
  readonly edgePerMinute: number;
}

/**
 * The limits from a stack's config: the edge's `services.rateLimitPerMinute`, the gateway's
 * `services.settings.aia-api.RATE_LIMIT_MAX` / `RATE_LIMIT_WINDOW_MS` when the stack sets them,
 * else the env schema's defaults.
 */
export function loadLimitsOf(services: {
  readonly rateLimitPerMinute: number;
  readonly settings?: Readonly<Record<string, Readonly<Record<string, unknown>> | undefined>>;
}): LoadLimits {
  const gateway = z.object(rateLimitEnv).parse(services.settings?.['aia-api'] ?? {});
  return {
    gatewayPerMinute: (gateway.RATE_LIMIT_MAX * MINUTE_MS) / gateway.RATE_LIMIT_WINDOW_MS,
    edgePerMinute: services.rateLimitPerMinute,
  };
}

/** Requests a minute the paced users send: each one every `intervalMs`. */
export const loadPerMinute = (users: number, intervalMs: number): number =>
  (users * MINUTE_MS) / intervalMs;

/**
 * The most a load check may send a minute: half the lower limit, so the smoke test, health checks
 * and a window's uneven edges still stay under it.
 */
export const loadBudgetPerMinute = (limits: LoadLimits): number =>
  Math.floor(Math.min(limits.gatewayPerMinute, limits.edgePerMinute) / 2);

/** Why a load is over the budget, or undefined when it fits. */
export function loadOverBudget(
  load: { readonly users: number; readonly intervalMs: number },
  limits: LoadLimits,
): string | undefined {
  const perMinute = loadPerMinute(load.users, load.intervalMs);
  const budget = loadBudgetPerMinute(limits);
  if (perMinute <= budget) return undefined;
  return `${load.users} users every ${load.intervalMs} ms send ${perMinute} requests a minute, over ${budget} (half the lower of the gateway's ${limits.gatewayPerMinute} and the edge's ${limits.edgePerMinute} a minute): the 429s would fail the check`;
}
