import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import type { CloudAlert } from '../cloud-monitoring-alerts/index.js';
import { countingLogMetric } from '../logging/counting-metric.js';
import {
  type BackupLocation,
  backupBucketLocation,
  backupLocationSuffix,
} from '../object-storage/backup-location.js';
import { bucketSettings } from '../object-storage/settings.js';
import { exportFailureAlert, exportFailureMetrics } from './export-failures.js';
import { EXPORT_SPACING_MINUTES } from './export-window.js';

export { EXPORT_SPACING_MINUTES } from './export-window.js';

/** What a scheduled export job posts to the SQL Admin API's `instances.export`. */
export const exportRequest = (bucket: string, database: string) => ({
  exportContext: {
    fileType: 'SQL',
    // One object per database, replaced by each export: the bucket's versioning keeps the
    // replaced ones as noncurrent versions for a week (the lifecycle of every platform bucket).
    uri: `gs://${bucket}/${database}.sql.gz`,
    databases: [database],
    // A temporary instance does the dump: no load on the primary.
    offload: true,
  },
});

/** `M H * * *` for the n-th database, EXPORT_SPACING_MINUTES apart from `startHour`:00 UTC. */
export function exportSchedule(startHour: number, index: number): string {
  const minutes = startHour * 60 + index * EXPORT_SPACING_MINUTES;
  return `${minutes % 60} ${Math.floor(minutes / 60) % 24} * * *`;
}

export interface CloudSqlExportsArgs {
  readonly project: string;
  /** The stack's region: Cloud Scheduler's jobs run there. */
  readonly region: string;
  /**
   * Where the export bucket keeps the dumps: a dual-region or multi-region, so they outlive the
   * stack's region (`backupLocation`, infra/components/object-storage/backup-location.ts).
   */
  readonly backupLocation: BackupLocation;
  /** Prefix of the bucket, service account and job names, e.g. `aia-production`. */
  readonly prefix: string;
  /**
   * The instance to export: the one serving, so the exports follow a promotion of the disaster
   * recovery replica (docs/runbooks/incidents/lost-region.md).
   */
  readonly instanceName: pulumi.Input<string>;
  /**
   * The own service accounts of the instances that export (Cloud SQL writes the files as the
   * exporting instance's), by role: the primary's, and the promoted disaster recovery replica's.
   */
  readonly instanceServiceAccounts: Readonly<
    { primary: pulumi.Input<string> } & Partial<Record<'disasterRecovery', pulumi.Input<string>>>
  >;
  /** The databases, each exported daily on its own. */
  readonly databases: readonly string[];
  /** Hour UTC the first export starts. */
  readonly startHour: number;
  /** Days an export nobody replaced is kept. */
  readonly retentionDays: number;
  readonly labels: Record<string, string>;
  readonly kmsKeyName?: string;
  readonly deletionProtection: boolean;
}

/**
 * Daily logical exports (SQL dumps, gzip) of every database to a bucket of their own: a copy
 * independent of Cloud SQL's backups, readable by any PostgreSQL (`gcloud sql import sql` or
 * `psql`). Cloud Scheduler calls the SQL Admin API's export with an OAuth token of a service
 * account that may only export and read the instance (a custom role): no code and no pod to run.
 */
export class CloudSqlExports extends pulumi.ComponentResource {
  readonly bucket: pulumi.Output<string>;
  /**
   * Alerts on failed exports (log-based metrics over Cloud Scheduler's attempts and Cloud SQL's
   * export operations), for `CloudMonitoringAlerts` to create and route.
   */
  readonly alerts: readonly CloudAlert[];

  constructor(name: string, args: CloudSqlExportsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('aia:platform:CloudSqlExports', name, {}, opts);
    const child = { parent: this };
    const bucket = new gcp.storage.Bucket(
      `${name}-bucket`,
      {
        ...bucketSettings({
          project: args.project,
          name: `${args.prefix}-sql-exports-${backupLocationSuffix(args.backupLocation)}`,
          location: args.backupLocation.location,
          retentionDays: args.retentionDays,
          labels: { ...args.labels, purpose: 'sql-exports' },
          kmsKeyName: args.kmsKeyName,
          deletionProtection: args.deletionProtection,
        }),
        ...backupBucketLocation(args.backupLocation),
      },
      // A new location is a new bucket (Pulumi replaces it): the old one, with its exports, stays
      // in the project, outside the stack, until they are copied over and it is deleted by hand.
      { ...child, retainOnDelete: args.deletionProtection },
    );
    // Cloud SQL writes the file as the instance's own service account; replacing yesterday's
    // object needs delete as well as create (objectUser), never the bucket's IAM (objectAdmin).
    for (const [role, serviceAccount] of Object.entries(args.instanceServiceAccounts)) {
      new gcp.storage.BucketIAMMember(
        role === 'primary' ? `${name}-instance-writes` : `${name}-dr-instance-writes`,
        {
          bucket: bucket.name,
          role: 'roles/storage.objectUser',
          member: pulumi.interpolate`serviceAccount:${serviceAccount}`,
        },
        child,
      );
    }
    const account = new gcp.serviceaccount.Account(
      `${name}-scheduler`,
      {
        project: args.project,
        accountId: `${args.prefix}-sql-export`,
        displayName: `${args.prefix} Cloud SQL exports (Cloud Scheduler)`,
      },
      child,
    );
    const role = new gcp.projects.IAMCustomRole(
      `${name}-exporter-role`,
      {
        project: args.project,
        roleId: `${args.prefix.replaceAll('-', '_')}_sql_exporter`,
        title: `${args.prefix} Cloud SQL exporter`,
        permissions: ['cloudsql.instances.export', 'cloudsql.instances.get'],
      },
      child,
    );
    new gcp.projects.IAMMember(
      `${name}-scheduler-exports`,
      { project: args.project, role: role.name, member: account.member },
      child,
    );
    args.databases.forEach((database, index) => {
      new gcp.cloudscheduler.Job(
        `${name}-${database}`,
        {
          project: args.project,
          region: args.region,
          name: `${args.prefix}-export-${database.replaceAll('_', '-')}`,
          description: `Daily SQL export of ${database}`,
          schedule: exportSchedule(args.startHour, index),
          timeZone: 'Etc/UTC',
          attemptDeadline: '320s',
          retryConfig: { retryCount: 3, minBackoffDuration: '300s' },
          httpTarget: {
            httpMethod: 'POST',
            uri: pulumi.interpolate`https://sqladmin.googleapis.com/v1/projects/${args.project}/instances/${args.instanceName}/export`,
            headers: { 'Content-Type': 'application/json' },
            body: bucket.name.apply((name) =>
              Buffer.from(JSON.stringify(exportRequest(name, database))).toString('base64'),
            ),
            oauthToken: {
              serviceAccountEmail: account.email,
              scope: 'https://www.googleapis.com/auth/cloud-platform',
            },
          },
        },
        child,
      );
    });
    this.alerts = exportFailureMetrics(args.prefix, args.project, args.instanceName).map((spec) => {
      const metric = countingLogMetric(`${name}-${spec.name}`, args.project, spec, child);
      return exportFailureAlert(spec, metric.name);
    });
    this.bucket = bucket.name;
    this.registerOutputs({ bucket: this.bucket });
  }
}
