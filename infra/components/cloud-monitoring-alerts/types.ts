import type * as pulumi from '@pulumi/pulumi';

/** The severities a Cloud Monitoring alert of the platform carries (docs/alerting.md). */
export type CloudAlertSeverity = 'critical' | 'warning';

/**
 * The series a Cloud Monitoring alert reads, as Cloud Monitoring names it: the metric type and
 * monitored resource its PromQL selector is written from (`promqlSelector`).
 */
export interface CloudAlertSeries {
  /** Cloud Monitoring metric type, such as `logging.googleapis.com/user/<name>`. */
  readonly metricType: pulumi.Input<string>;
  /** Its monitored resource type (PromQL's `monitored_resource` label), such as `k8s_container`. */
  readonly resourceType: string;
  /** Further resource or metric labels to match exactly, such as `database_id`. */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * One Cloud Monitoring alert policy with a single PromQL condition: a series (a log-based
 * metric, a Cloud SQL metric) over a threshold. Built by the component that owns the series
 * (logging, Cloud SQL) and created, with its notification channels and the maintenance window
 * for warnings, by `CloudMonitoringAlerts`.
 */
export interface CloudAlert {
  /** Stable key: the policy's resource name is `<component name>-<key>`. */
  readonly key: string;
  readonly displayName: string;
  readonly severity: CloudAlertSeverity;
  /**
   * The service the alert is about, when one: a critical alert pages the PagerDuty area whose
   * services include it, as Alertmanager's area routes do; otherwise the default area.
   */
  readonly service?: string;
  readonly series: CloudAlertSeries;
  /**
   * How each series' points are combined over `window`, then across series: `sum` adds the
   * points of a DELTA count (each point holds the lines of its interval; formerly `ALIGN_SUM`
   * and `REDUCE_SUM`); `latest` takes a gauge's (such as a lag's) most recent point within
   * `window`, the largest across series. A PromQL condition is evaluated at the current time, and
   * Cloud SQL's metrics become visible up to 210 s after their sample: the window must reach back
   * past that, or it often holds no point and the condition never holds for its duration.
   */
  readonly aggregation: 'sum' | 'latest';
  /** The range each evaluation looks back over, in PromQL's units, such as `5m`. */
  readonly window: string;
  /** The condition holds when the aggregated value is above this. */
  readonly threshold: number;
  /** How long the condition must hold before the policy fires, such as `0s` or `300s`. */
  readonly duration: string;
  /**
   * How long an open incident stays open once no data arrives (a log-based metric writes no
   * points while no line matches), such as `1800s`. Default: Cloud Monitoring's (7 days).
   */
  readonly autoClose?: string;
  /** What it means and what to do first (Markdown), with the runbook's link. */
  readonly documentation: string;
}
