import * as pulumi from '@pulumi/pulumi';
import { type CloudAlert, docsUrl } from '../cloud-monitoring-alerts/index.js';
import type { LogMetric } from './settings.js';

/** Window the log-based metrics' lines are counted over (PromQL's units). */
export const LOG_ALERT_WINDOW = '5m';

/**
 * The alert on a log-based metric: more than its threshold of matching lines in five minutes,
 * summed over every container, routed by its severity (and service) like the Prometheus alerts;
 * a warning is muted in the maintenance window.
 */
export function logMetricAlert(spec: LogMetric, metricName: pulumi.Input<string>): CloudAlert {
  return {
    key: spec.name,
    displayName: `${spec.description} More than ${spec.threshold} in 5 minutes.`,
    severity: spec.severity,
    ...(spec.service ? { service: spec.service } : {}),
    series: {
      metricType: pulumi.interpolate`logging.googleapis.com/user/${metricName}`,
      resourceType: 'k8s_container',
    },
    aggregation: 'sum',
    window: LOG_ALERT_WINDOW,
    threshold: spec.threshold,
    duration: '0s',
    // No matching line writes no point: the incident closes half an hour after the burst.
    autoClose: '1800s',
    documentation: [
      `${spec.description} More than ${spec.threshold} lines in 5 minutes matched the log-based metric \`${spec.name}\`.`,
      `Log query: \`${spec.filter}\``,
      `Runbook: ${docsUrl(spec.runbook)}`,
    ].join('\n\n'),
  };
}
