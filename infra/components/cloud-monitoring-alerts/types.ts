import type * as pulumi from '@pulumi/pulumi';

/** The severities a Cloud Monitoring alert of the platform carries (docs/alerting.md). */
export type CloudAlertSeverity = 'critical' | 'warning';

/**
 * One Cloud Monitoring alert policy with a single threshold condition: a time series (a
 * log-based metric, a Cloud SQL metric) over a threshold. Built by the component that owns the
 * series (logging, Cloud SQL) and created, with its notification channels, by
 * `CloudMonitoringAlerts`.
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
  /** Monitoring filter selecting the time series (metric type and resource). */
  readonly filter: pulumi.Input<string>;
  /** The condition holds when the aligned value is above this. */
  readonly threshold: number;
  /** Alignment period of each point, such as `300s`. */
  readonly alignmentPeriod: string;
  /** `ALIGN_SUM` for counts of log lines, `ALIGN_MAX` for a gauge such as a lag. */
  readonly aligner: 'ALIGN_SUM' | 'ALIGN_MAX';
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
