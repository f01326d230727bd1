import type { Logger } from 'pino';
import { upstreamUrl } from '../../catalog/upstreams.js';
import { catalog } from '../../catalog.js';
import {
  type UpstreamPolicyOptions,
  upstreamPolicy,
} from '../../platform/service-client/upstream-policy.js';
import type { GatewayMetrics } from './gateway-metrics.js';

/** One upstream service as the gateway reaches it: its base URL and its policies. */
export interface Upstream {
  readonly name: string;
  /** Without a trailing slash: the configured `<SERVICE>_URL`, else loopback at its catalog port. */
  readonly baseUrl: string;
  /** The service clients' policies (retries, breaker, per-attempt timeout), one breaker per upstream. */
  readonly policy: ReturnType<typeof upstreamPolicy>;
  /** When to try again, in seconds: until the open breaker lets a call through, else 1. */
  retryAfterSeconds(): number;
}

export interface UpstreamsOptions {
  readonly names: readonly string[];
  /** The gateway's configuration: `<SERVICE>_URL` variables are read from it. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly policy: UpstreamPolicyOptions & { readonly halfOpenAfterMs: number };
  readonly metrics: GatewayMetrics;
  readonly logger?: Logger;
}

/**
 * Each upstream once, with the policies service clients use (services/platform/service-client):
 * its breaker's changes logged and reported to the breaker gauge.
 */
export function createUpstreams({
  names,
  config,
  policy,
  metrics,
  logger,
}: UpstreamsOptions): ReadonlyMap<string, Upstream> {
  const upstreams = new Map<string, Upstream>();
  for (const name of names) {
    const definition = catalog[name as keyof typeof catalog];
    const shared = upstreamPolicy(policy);
    let openedAt = 0;
    shared.breaker.onBreak(() => {
      openedAt = Date.now();
      metrics.breakerChanged(name, 'open');
      logger?.warn({ upstream: name }, 'circuit breaker opened: requests fail at once for a while');
    });
    shared.breaker.onHalfOpen(() => metrics.breakerChanged(name, 'halfOpen'));
    shared.breaker.onReset(() => {
      metrics.breakerChanged(name, 'closed');
      logger?.info({ upstream: name }, 'circuit breaker closed');
    });
    upstreams.set(name, {
      name,
      baseUrl: upstreamUrl(definition, config).replace(/\/+$/, ''),
      policy: shared,
      retryAfterSeconds: () =>
        Math.max(1, Math.ceil((openedAt + policy.halfOpenAfterMs - Date.now()) / 1000)),
    });
  }
  return upstreams;
}
