import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { HTTP_DURATION_BUCKETS } from '../../platform/metrics.js';

/** A breaker's state as the gauge reports it: 0 closed, 1 half-open (one call tried), 2 open. */
export const BREAKER_STATE_VALUE = { closed: 0, halfOpen: 1, open: 2 } as const;
export type BreakerStateName = keyof typeof BREAKER_STATE_VALUE;

/** What the gateway records of its upstreams, on the service's registry. */
export interface GatewayMetrics {
  /** One attempt ended: `code` is the upstream's status, or `timeout` / `unreachable` / `circuit_open`. */
  attempted(upstream: string, code: string, seconds: number): void;
  breakerChanged(upstream: string, state: BreakerStateName): void;
}

/**
 * `gateway_upstream_requests_total{upstream,code}` (attempts, retries included),
 * `gateway_upstream_duration_seconds{upstream}` (time to the response head, buckets on the SLO
 * and alert latencies) and `gateway_upstream_breaker_state{upstream}` (0 closed, 1 half-open,
 * 2 open), every upstream's series present from the start.
 */
export function createGatewayMetrics(
  registry: Registry,
  upstreams: readonly string[],
): GatewayMetrics {
  const requests = new Counter({
    name: 'gateway_upstream_requests_total',
    help: 'Requests the gateway sent to an upstream (each attempt), by upstream and answer',
    labelNames: ['upstream', 'code'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'gateway_upstream_duration_seconds',
    help: "Time from sending a request to an upstream until its response head (or the attempt's end)",
    labelNames: ['upstream'],
    buckets: [...HTTP_DURATION_BUCKETS],
    registers: [registry],
  });
  const breaker = new Gauge({
    name: 'gateway_upstream_breaker_state',
    help: "An upstream's circuit breaker: 0 closed, 1 half-open, 2 open",
    labelNames: ['upstream'],
    registers: [registry],
  });
  for (const upstream of upstreams) {
    breaker.set({ upstream }, BREAKER_STATE_VALUE.closed);
    duration.zero({ upstream });
  }
  return {
    attempted: (upstream, code, seconds) => {
      requests.inc({ upstream, code });
      duration.observe({ upstream }, seconds);
    },
    breakerChanged: (upstream, state) => breaker.set({ upstream }, BREAKER_STATE_VALUE[state]),
  };
}
