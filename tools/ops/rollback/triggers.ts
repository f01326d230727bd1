import { eq, failureRatio, histogramQuantile, re } from '../../../infra/alerting/promql/index.js';
import { RULE_SETTINGS } from '../../../infra/alerting/rules/settings.js';
import { type ServiceName, serviceDefinition } from '../../../services/catalog.js';

/** One of the catalog's rollback triggers, as a query over the series of one release. */
export interface RollbackTrigger {
  /** The alert rule that fires on the same figure (`infra/alerting/rules/threshold-alerts.ts`). */
  readonly alert: 'RollbackErrorRateExceeded' | 'RollbackLatencyExceeded';
  /** Where the threshold comes from in the catalog entry. */
  readonly source: 'rollback.errorRatePercent' | 'rollback.latencyP95Seconds';
  /**
   * PromQL giving one value, in the threshold's unit; no series while there is no traffic.
   * Probes and scrapes are never traffic: the services do not count them
   * (`services/platform/metrics.ts`), so neither these triggers nor the alert rules filter routes.
   */
  readonly expr: string;
  readonly threshold: number;
  readonly unit: 'percent' | 'seconds';
}

export interface ReleaseSeries {
  readonly service: ServiceName;
  /** The namespace the service runs in (the stack's `services.namespace`). */
  readonly namespace: string;
  /**
   * The colour being watched (`blue`, `green`) for a blue-green service: its pods are the
   * Deployment `<service>-<colour>`'s (`pod="<service>-<colour>-…"`; the series' `service` is the
   * service's own label, which the ServiceMonitor's `honorLabels` keeps over the Kubernetes
   * Service's name). Without it, every replica of the service.
   */
  readonly colour?: string;
  /** The rate window. Default the alert rules' (`RULE_SETTINGS.rateWindow`). */
  readonly window?: string;
}

const { rateWindow, latencyQuantile, serverErrorStatus } = RULE_SETTINGS;

/**
 * The catalog's rollback triggers of one release (error rate above `rollback.errorRatePercent`,
 * p95 above `rollback.latencyP95Seconds`), with the thresholds, status pattern, quantile and
 * window the rollback alert rules use: one source for both.
 */
export function rollbackTriggers({
  service,
  namespace,
  colour,
  window = rateWindow,
}: ReleaseSeries): RollbackTrigger[] {
  const { rollback } = serviceDefinition(service);
  const matchers = [
    eq('namespace', namespace),
    eq('service', service),
    ...(colour ? [re('pod', `${service}-${colour}-.+`)] : []),
  ];
  return [
    {
      alert: 'RollbackErrorRateExceeded',
      source: 'rollback.errorRatePercent',
      expr: `100 * ${failureRatio({ metric: 'http_requests_total', matchers, failure: re('status', serverErrorStatus), window })}`,
      threshold: rollback.errorRatePercent,
      unit: 'percent',
    },
    {
      alert: 'RollbackLatencyExceeded',
      source: 'rollback.latencyP95Seconds',
      expr: histogramQuantile(latencyQuantile, 'http_request_duration_seconds', matchers, {
        window,
      }),
      threshold: rollback.latencyP95Seconds,
      unit: 'seconds',
    },
  ];
}
