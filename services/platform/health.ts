import { Hono } from 'hono';
import type { AppEnv } from './types.js';

/** Resolves when the dependency is usable; rejects (or hangs) when it is not. */
export type ReadinessCheck = (signal: AbortSignal) => Promise<unknown>;

export interface HealthOptions {
  /** Dependency name → check, for example `{ postgres, redis }`. */
  readonly checks: Readonly<Record<string, ReadinessCheck>>;
  /**
   * Checks the service can serve without (a Redis that only backs a fail-open rate limiter): a
   * failure is reported as `degraded` with 200, so an outage of it does not take every replica
   * out of the load balancer at once. Default none.
   */
  readonly optional?: readonly string[];
  /** Each check fails after this long. Default 2000 ms. */
  readonly timeoutMs?: number;
  /** True once shutdown began: readiness fails so the load balancer stops sending traffic. */
  readonly isDraining?: () => boolean;
}

interface CheckResult {
  readonly status: 'up' | 'down';
  readonly latencyMs: number;
  /** `unavailable` or `timed out after N ms`; the driver's own message is logged, not served. */
  readonly error?: string;
}

class CheckTimeout extends Error {}

/** `/healthz` (the process is alive) and `/readyz` (every dependency answers in time). */
export function healthRoutes({
  checks,
  optional = [],
  timeoutMs = 2_000,
  isDraining = () => false,
}: HealthOptions): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  /** Dependencies whose last check failed. */
  const wentDown = new Set<string>();
  routes.get('/healthz', (c) => c.json({ status: 'ok' }));
  routes.get('/readyz', async (c) => {
    if (isDraining()) {
      return c.json({ status: 'unavailable', detail: 'shutting down', checks: {} }, 503);
    }
    const names = Object.keys(checks);
    const logger = c.get('logger');
    const results = await Promise.all(
      names.map(async (name) => {
        const result = await runCheck(checks[name] as ReadinessCheck, timeoutMs, (error) => {
          // Probes come every few seconds: a warning when a dependency goes down, not each time.
          const line = { err: error, dependency: name };
          if (wentDown.has(name)) logger?.debug(line, 'readiness check still failing');
          else logger?.warn(line, 'readiness check failed');
        });
        if (result.status === 'down') wentDown.add(name);
        else if (wentDown.delete(name))
          logger?.info({ dependency: name }, 'readiness check recovered');
        return result;
      }),
    );
    const report = Object.fromEntries(names.map((name, i) => [name, results[i]]));
    const down = names.filter((_, i) => results[i]?.status === 'down');
    const failing = down.filter((name) => !optional.includes(name));
    if (failing.length === 0) {
      return down.length === 0
        ? c.json({ status: 'ready', checks: report })
        : c.json({ status: 'degraded', degraded: down, checks: report });
    }
    const detail = `not ready: ${failing.map((name) => `${name} (${report[name]?.error})`).join(', ')}`;
    return c.json({ status: 'unavailable', detail, failing, checks: report }, 503);
  });
  return routes;
}

async function runCheck(
  check: ReadinessCheck,
  timeoutMs: number,
  onFailure: (error: unknown) => void,
): Promise<CheckResult> {
  const started = performance.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new CheckTimeout(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    await Promise.race([check(controller.signal), timedOut]);
    return { status: 'up', latencyMs: elapsed(started) };
  } catch (error) {
    onFailure(error);
    // Driver messages name hosts and addresses: keep them in the logs, off the wire.
    const reason = error instanceof CheckTimeout ? error.message : 'unavailable';
    return { status: 'down', latencyMs: elapsed(started), error: reason };
  } finally {
    clearTimeout(timer);
  }
}

const elapsed = (started: number) => Math.round((performance.now() - started) * 10) / 10;
