import * as pulumi from '@pulumi/pulumi';
import { type CloudAlert, docsUrl } from '../cloud-monitoring-alerts/index.js';

/** A log-based metric counting one way a scheduled export fails, and its alert. */
export interface ExportFailureMetric {
  /** Cloud Logging metric name. */
  readonly name: string;
  readonly description: string;
  readonly filter: pulumi.Output<string>;
  /** The monitored resource its lines (and so its points) belong to. */
  readonly resourceType: 'cloud_scheduler_job' | 'cloudsql_database';
}

/** What an export job's name starts with (`CloudSqlExports`: `<prefix>-export-<database>`). */
export const exportJobPrefix = (prefix: string) => `${prefix}-export-`;

/**
 * The two ways a daily export fails: Cloud Scheduler's attempt fails (the SQL Admin API refused
 * the call or did not answer: its `AttemptFinished` entry is logged at ERROR), or the export
 * operation the call started fails later (Cloud SQL's audit entry for `cloudsql.instances.export`
 * carries the error: the bucket refused the file, the dump failed).
 */
export function exportFailureMetrics(
  prefix: string,
  project: string,
  instance: pulumi.Input<string>,
): ExportFailureMetric[] {
  return [
    {
      name: `${prefix}-sql-export-attempt-failures`,
      description: 'Scheduled SQL export calls that failed (Cloud Scheduler attempts).',
      filter: pulumi.output(
        `resource.type="cloud_scheduler_job" AND resource.labels.job_id=~"^${exportJobPrefix(prefix)}" AND jsonPayload."@type"="type.googleapis.com/google.cloud.scheduler.logging.AttemptFinished" AND severity>=ERROR`,
      ),
      resourceType: 'cloud_scheduler_job',
    },
    {
      name: `${prefix}-sql-export-operation-failures`,
      description: 'SQL export operations of the instance that ended in an error.',
      filter: pulumi.interpolate`resource.type="cloudsql_database" AND resource.labels.database_id="${project}:${instance}" AND protoPayload.methodName="cloudsql.instances.export" AND (severity>=ERROR OR protoPayload.status.code>0)`,
      resourceType: 'cloudsql_database',
    },
  ];
}

/**
 * Any failure alerts (warning, data_loss): one export missed leaves Cloud SQL's backups and
 * point-in-time recovery, but the independent copy is a day older; fixed before the next night's
 * run, nothing is lost. Open until the next day's exports. Like every warning, muted in the
 * maintenance window (the exports end an hour before it opens, so none is due in it).
 */
export function exportFailureAlert(
  spec: ExportFailureMetric,
  metricName: pulumi.Input<string>,
): CloudAlert {
  return {
    key: spec.name,
    displayName: `${spec.description} At least one.`,
    severity: 'warning',
    series: {
      metricType: pulumi.interpolate`logging.googleapis.com/user/${metricName}`,
      resourceType: spec.resourceType,
    },
    aggregation: 'sum',
    window: '5m',
    threshold: 0,
    duration: '0s',
    autoClose: '86400s',
    documentation: [
      `${spec.description} A daily SQL export to the bucket did not complete: the log-based metric \`${spec.name}\` counted a failure.`,
      `Runbook: ${docsUrl('restore-drill.md#failed-exports')}`,
    ].join('\n\n'),
  };
}
