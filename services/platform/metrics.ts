import { prometheus } from '@hono/prometheus';
import type { Handler, MiddlewareHandler } from 'hono';
import { Counter, Registry } from 'prom-client';
import type { MetricDeclaration } from '../catalog/types.js';
import { PROBE_PATHS } from './logging.js';
import type { AppEnv } from './types.js';

/**
 * Latency buckets in seconds. Boundaries sit exactly on the SLO (0.5 s), the alert threshold
 * (2 s) and the rollback trigger (5 s), so those quantiles and ratios are exact, not interpolated.
 */
export const HTTP_DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10,
] as const;

function registerDeclared(registry: Registry, metric: MetricDeclaration): void {
  const labelNames = Object.keys(metric.labels);
  const counter = new Counter({
    name: metric.name,
    help: metric.help,
    labelNames,
    registers: [registry],
  });
  const combinations = labelNames.reduce<Record<string, string>[]>(
    (partial, label) =>
      partial.flatMap((labels) =>
        (metric.labels[label] ?? []).map((value) => ({ ...labels, [label]: value })),
      ),
    [{}],
  );
  for (const labels of combinations) counter.inc(labels, 0);
}

type PrometheusMetricOptions = NonNullable<Parameters<typeof prometheus>[0]>['metricOptions'];

export interface ServiceMetrics {
  /** The service's own registry (not prom-client's global one), so apps never collide. */
  readonly registry: Registry;
  /**
   * Records `http_request_duration_seconds` and `http_requests_total` by method, route, status,
   * for every request but the probes and scrapes ({@link PROBE_PATHS}).
   */
  readonly middleware: MiddlewareHandler<AppEnv>;
  /** Serves the registry in the Prometheus text exposition format. */
  readonly handler: Handler<AppEnv>;
}

/**
 * Creates the registry with default process metrics, the HTTP metrics and the declared domain
 * metrics of one service (each label combination starting at zero).
 *
 * The HTTP metrics count the requests callers make, never the kubelet's probes, the load
 * balancer's health checks or Prometheus's scrapes ({@link PROBE_PATHS}): those fast 200s, a few
 * a second per pod whatever the traffic, would dilute the error rate and the p95 that the SLO
 * burn-rate alerts, the rollback alerts and the release watches judge, and a pod nobody calls
 * would still show traffic. Probe failures have their own signals (kube-state-metrics' readiness,
 * Prometheus's `up`).
 */
export function createServiceMetrics({
  service,
  declared = [],
}: {
  service: string;
  declared?: readonly MetricDeclaration[];
}): ServiceMetrics {
  const registry = new Registry();
  for (const metric of declared) registerDeclared(registry, metric);
  registry.setDefaultLabels({ service });
  const { registerMetrics } = prometheus({
    registry,
    collectDefaultMetrics: true,
    // The package types per-metric options as the counter/histogram union, which hides `buckets`.
    metricOptions: {
      requestDuration: { buckets: [...HTTP_DURATION_BUCKETS] },
    } as PrometheusMetricOptions,
  });
  return {
    registry,
    middleware: (c, next) => (PROBE_PATHS.includes(c.req.path) ? next() : registerMetrics(c, next)),
    handler: async (c) =>
      c.body(await registry.metrics(), 200, { 'Content-Type': registry.contentType }),
  };
}
