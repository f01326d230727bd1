import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import type { CloudAlert } from '../cloud-monitoring-alerts/index.js';
import { logMetricAlert } from './alerts.js';
import { countingLogMetric } from './counting-metric.js';
import { logMetrics } from './settings.js';

export interface CentralizedLoggingArgs {
  readonly project: string;
  /** Prefix of metric and policy names, e.g. `aia-production`. */
  readonly prefix: string;
  /** Days the project's `_Default` log bucket keeps entries (1–3650). */
  readonly retentionDays: number;
  /** Namespace of the services, whose request lines the metrics count. */
  readonly servicesNamespace: string;
  readonly labels: Record<string, string>;
}

/**
 * Cloud Logging as the platform's central log store (docs/logging.md): GKE's agent already ships
 * every container's stdout (the cluster's `loggingConfig` has WORKLOADS) and parses the services'
 * JSON lines; this sets the `_Default` bucket's retention for the stack, counts 5xx bursts, auth
 * failures and ledger refusals as log-based metrics, and describes an alert on each (`alerts`), which
 * `CloudMonitoringAlerts` creates and routes like the other alerts.
 */
export class CentralizedLogging extends pulumi.ComponentResource {
  readonly metricNames: pulumi.Output<string>[];
  /** An alert on each metric, for `CloudMonitoringAlerts` to create and route. */
  readonly alerts: readonly CloudAlert[];

  constructor(name: string, args: CentralizedLoggingArgs, opts?: pulumi.ComponentResourceOptions) {
    if (
      !Number.isInteger(args.retentionDays) ||
      args.retentionDays < 1 ||
      args.retentionDays > 3650
    ) {
      throw new Error(
        `retentionDays is ${args.retentionDays}: Cloud Logging keeps 1 to 3650 days in a bucket`,
      );
    }
    super('aia:platform:CentralizedLogging', name, {}, opts);
    const child = { parent: this };

    // The project's own bucket, created by Google: Pulumi adopts it and sets its retention.
    new gcp.logging.ProjectBucketConfig(
      `${name}-default-bucket`,
      {
        project: args.project,
        location: 'global',
        bucketId: '_Default',
        retentionDays: args.retentionDays,
      },
      child,
    );

    const alerts: CloudAlert[] = [];
    this.metricNames = logMetrics(args.prefix, args.servicesNamespace).map((spec) => {
      const metric = countingLogMetric(`${name}-${spec.name}`, args.project, spec, child);
      alerts.push(logMetricAlert(spec, metric.name));
      return metric.name;
    });
    this.alerts = alerts;
    this.registerOutputs({ metricNames: this.metricNames });
  }
}
