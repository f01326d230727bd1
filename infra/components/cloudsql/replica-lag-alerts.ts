import type { StackName } from '../../../services/catalog.js';
import { type CloudAlert, docsUrl } from '../cloud-monitoring-alerts/index.js';

/** The replicas CloudSqlPostgres may add: the in-region read replica, the cross-region DR one. */
export type ReplicaRole = 'read' | 'disasterRecovery';

export interface ReplicaLagThreshold {
  /** Lag, in seconds, above which the alert fires once it has held for `for`. */
  readonly seconds: number;
  readonly for: string;
  readonly severity: 'critical' | 'warning';
}

/** Cloud SQL's lag metric: seconds the replica's replay is behind the primary (a gauge). */
export const REPLICA_LAG_METRIC = 'cloudsql.googleapis.com/database/replication/replica_lag';

/**
 * Replication lag alerts per stack and replica (docs/runbooks/incidents/lost-region.md).
 *
 * - Production, disaster recovery replica: over 60 s for 5 minutes pages (critical, data_loss).
 *   The DR runbook's RPO is this replica's lag at the moment the region is lost; it is normally
 *   under a second, and the platform promises an RPO of at most a minute: past that, a region
 *   loss would lose more ledger transfers than promised, so someone must know at once. Five
 *   minutes ride out a bulk write or a vacuum's burst.
 * - Production, read replica: over 30 s for 5 minutes warns (performance_degradation). Its lag is
 *   no RPO (the primary's regional standby covers a zone). 30 s is the services' read pool's lag
 *   bound (`DATABASE_READ_MAX_LAG_SECONDS`, docs/connections.md): above it the lag-tolerant reads
 *   go to the primary, so the replica serves nothing and the primary carries its load.
 * - Staging (no replicas unless configured): the same conditions at five times the lag, warning
 *   only: staging holds no data of record and pages nobody for it.
 */
export const REPLICA_LAG_THRESHOLDS: Readonly<
  Record<StackName, Readonly<Record<ReplicaRole, ReplicaLagThreshold>>>
> = {
  production: {
    disasterRecovery: { seconds: 60, for: '300s', severity: 'critical' },
    read: { seconds: 30, for: '300s', severity: 'warning' },
  },
  staging: {
    disasterRecovery: { seconds: 300, for: '300s', severity: 'warning' },
    read: { seconds: 150, for: '300s', severity: 'warning' },
  },
};

const ROLE_TEXT: Readonly<Record<ReplicaRole, { name: string; runbook: string }>> = {
  disasterRecovery: {
    name: 'disaster recovery replica',
    runbook: 'runbooks/incidents/lost-region.md#replication-lag',
  },
  read: { name: 'read replica', runbook: 'alerting.md#cloud-sql-replica-lag' },
};

/** Cloud Monitoring's `database_id` of an instance: `<project>:<instance>`. */
export const databaseId = (project: string, instance: string) => `${project}:${instance}`;

/**
 * The alert on one replica's lag: the latest lag reported above the stack's threshold for the
 * stack's duration. A warning is muted in the maintenance window: Cloud SQL's
 * maintenance restarts the primary when the window opens, and the read replica lags behind it.
 */
export function replicaLagAlert(
  stack: StackName,
  project: string,
  role: ReplicaRole,
  instance: string,
): CloudAlert {
  const threshold = REPLICA_LAG_THRESHOLDS[stack][role];
  const { name, runbook } = ROLE_TEXT[role];
  return {
    key: `${instance}-lag`,
    displayName: `Cloud SQL ${name} ${instance} lags more than ${threshold.seconds} s`,
    severity: threshold.severity,
    series: {
      metricType: REPLICA_LAG_METRIC,
      resourceType: 'cloudsql_database',
      labels: { database_id: databaseId(project, instance) },
    },
    // The latest lag reported: Cloud SQL samples it every 60 s and shows a point up to 210 s
    // later, so the condition looks back five minutes for it.
    aggregation: 'latest',
    window: '5m',
    threshold: threshold.seconds,
    duration: threshold.for,
    documentation: [
      `The ${name} \`${instance}\` has replayed the primary's changes more than ${threshold.seconds} s late for ${Number.parseInt(threshold.for, 10) / 60} minutes.`,
      role === 'disasterRecovery'
        ? 'While it lasts, losing the region would lose more than the promised RPO.'
        : 'Reads served from the replica are that far behind the primary.',
      `Runbook: ${docsUrl(runbook)}`,
    ].join('\n\n'),
  };
}
