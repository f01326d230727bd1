import type * as gcp from '@pulumi/gcp';
import type * as pulumi from '@pulumi/pulumi';
import { maxConnectionsFor, validateMaxConnections } from './connections.js';

type Settings = gcp.types.input.sql.DatabaseInstanceSettings;

/** What the instance settings are built from; a subset of `CloudSqlPostgresArgs`. */
export interface InstanceSettingsInput {
  readonly network: pulumi.Input<string>;
  readonly tier: string;
  /** `max_connections`; default sized to the tier (connections.ts). */
  readonly maxConnections?: number;
  readonly availability: 'ZONAL' | 'REGIONAL';
  readonly diskSizeGb: number;
  readonly backupRetentionDays: number;
  readonly pointInTimeRecoveryDays: number;
  readonly deletionProtection: boolean;
  readonly maintenance: { readonly day: number; readonly hour: number };
  /** Region of the cross-region replica, if any: never the primary's. */
  readonly region?: string;
  readonly disasterRecoveryRegion?: string;
  readonly disasterRecoveryPromoted?: boolean;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * The Cloud SQL edition a tier runs on. gcp 9.x leaves `edition` to the API, which picks
 * ENTERPRISE_PLUS for POSTGRES_16 and then rejects shared-core and `db-custom-*` tiers, so it
 * is always set: ENTERPRISE_PLUS for `db-perf-optimized-*` tiers, ENTERPRISE otherwise.
 */
export const sqlEdition = (tier: string): 'ENTERPRISE' | 'ENTERPRISE_PLUS' =>
  tier.startsWith('db-perf-optimized-') ? 'ENTERPRISE_PLUS' : 'ENTERPRISE';

/**
 * Throws, with a sentence saying why, on settings Cloud SQL would reject at apply time:
 * point-in-time recovery beyond the edition's limit (7 days on ENTERPRISE, 35 on ENTERPRISE_PLUS),
 * backups not outlasting the transaction log, a maintenance window outside day 1–7, hour 0–23,
 * or a disaster recovery replica in the primary's region (or promoted without one).
 */
export function validateInstanceSettings(input: InstanceSettingsInput): void {
  validateMaxConnections(input.tier, input.maxConnections);
  const edition = sqlEdition(input.tier);
  const maxLogDays = edition === 'ENTERPRISE_PLUS' ? 35 : 7;
  const { backupRetentionDays: backups, pointInTimeRecoveryDays: logDays, maintenance } = input;
  if (!Number.isInteger(logDays) || logDays < 1 || logDays > maxLogDays) {
    throw new Error(
      `pointInTimeRecoveryDays is ${logDays}: tier ${input.tier} runs on ${edition}, which keeps 1 to ${maxLogDays} days of transaction log`,
    );
  }
  if (!Number.isInteger(backups) || backups <= logDays || backups > 365) {
    throw new Error(
      `backupRetentionDays is ${backups}: it must exceed pointInTimeRecoveryDays (${logDays}), since Cloud SQL needs a backup older than the oldest recovery point, and be at most 365`,
    );
  }
  if (input.disasterRecoveryPromoted && input.disasterRecoveryRegion === undefined) {
    throw new Error(
      'disasterRecoveryPromoted is set without disasterRecoveryRegion: there is no disaster recovery replica to serve from',
    );
  }
  if (input.disasterRecoveryRegion !== undefined && input.disasterRecoveryRegion === input.region) {
    throw new Error(
      `disasterRecoveryRegion is ${input.disasterRecoveryRegion}, the primary's own region: a disaster recovery replica must survive the loss of that region, so pick another`,
    );
  }
  if (
    ![1, 2, 3, 4, 5, 6, 7].includes(maintenance.day) ||
    maintenance.hour < 0 ||
    maintenance.hour > 23
  ) {
    throw new Error(
      `maintenance is day ${maintenance.day} hour ${maintenance.hour}: expected day 1 (Monday) to 7 (Sunday) and an hour from 0 to 23 UTC`,
    );
  }
}

/**
 * Database flags for auditability (CIS Google Cloud benchmark, PostgreSQL section): connections,
 * disconnections, DDL, lock waits and temporary files are logged; statement durations are not,
 * since those lines would carry parameter values; pgAudit is enabled for role and DDL changes.
 */
export const postgresDatabaseFlags = (
  maxConnections: number,
): gcp.types.input.sql.DatabaseInstanceSettingsDatabaseFlag[] => [
  { name: 'log_connections', value: 'on' },
  { name: 'log_disconnections', value: 'on' },
  { name: 'log_statement', value: 'ddl' },
  { name: 'log_lock_waits', value: 'on' },
  { name: 'log_temp_files', value: '0' },
  { name: 'log_min_error_statement', value: 'error' },
  { name: 'log_min_duration_statement', value: '-1' },
  { name: 'cloudsql.enable_pgaudit', value: 'on' },
  { name: 'pgaudit.log', value: 'role,ddl' },
  // Services log in as their Workload Identity service accounts (IAM database users) through
  // the Cloud SQL connector: no password to leak, no cloudsqlsuperuser membership.
  { name: 'cloudsql.iam_authentication', value: 'on' },
  // Commit times of every transaction, for the restore drill's exact point-in-time check on a
  // clone (tools/drill/ledger-checks.ts: no transfer committed after T, docs/restore-drill.md).
  // A few bytes per transaction. Setting it restarts the instance: apply it in the maintenance
  // window (docs/maintenance.md).
  { name: 'track_commit_timestamp', value: 'on' },
  // Explicit, not the tier's default: the policy pack checks every service's pools at full
  // scale-out against it (docs/connections.md). A replica gets the same value, as hot standby
  // requires (at least the primary's). Changing it restarts the instance.
  { name: 'max_connections', value: String(maxConnections) },
];

/** Daily backup start, `HH:00` UTC, two hours before the maintenance window opens. */
export const backupStartTime = (maintenanceHour: number): string =>
  `${String((maintenanceHour + 22) % 24).padStart(2, '0')}:00`;

/**
 * Private IP only and TLS required. `ENCRYPTED_ONLY`, not `TRUSTED_CLIENT_CERTIFICATE_REQUIRED`:
 * workloads connect directly to the private address with a password and `sslmode=require`; client
 * certificates would have to be issued, rotated and mounted per workload for no gain on a private
 * network the workloads already authenticate to with 32-character generated passwords.
 */
const privateTlsOnly = (network: pulumi.Input<string>) => ({
  ipv4Enabled: false,
  privateNetwork: network,
  sslMode: 'ENCRYPTED_ONLY',
  enablePrivatePathForGoogleCloudServices: false,
});

/**
 * Inputs the instances ignore after creation: with `diskAutoresize` Cloud SQL grows the disk, and
 * `diskSize` then reads larger than configured; an update would try to shrink it, which the API
 * refuses. `diskSizeGb` is the initial size only: grow a disk by hand with gcloud, not here.
 */
export const AUTORESIZED_DISK = ['settings.diskSize'] as const;

/** Settings shared by the primary and its replica. */
function commonSettings(input: InstanceSettingsInput): Settings {
  return {
    tier: input.tier,
    edition: sqlEdition(input.tier),
    diskType: 'PD_SSD',
    diskSize: input.diskSizeGb,
    diskAutoresize: true,
    ipConfiguration: privateTlsOnly(input.network),
    insightsConfig: {
      queryInsightsEnabled: true,
      recordApplicationTags: true,
      recordClientAddress: true,
      queryStringLength: 1024,
      queryPlansPerMinute: 5,
    },
    databaseFlags: postgresDatabaseFlags(maxConnectionsFor(input.tier, input.maxConnections)),
    deletionProtectionEnabled: input.deletionProtection,
    userLabels: { ...input.labels },
  };
}

/** Settings of the primary: availability, backups with point-in-time recovery, maintenance. */
export function primarySettings(input: InstanceSettingsInput): Settings {
  return {
    ...commonSettings(input),
    availabilityType: input.availability,
    backupConfiguration: {
      enabled: true,
      pointInTimeRecoveryEnabled: true,
      transactionLogRetentionDays: input.pointInTimeRecoveryDays,
      startTime: backupStartTime(input.maintenance.hour),
      backupRetentionSettings: {
        retainedBackups: input.backupRetentionDays,
        retentionUnit: 'COUNT',
      },
    },
    maintenanceWindow: {
      day: input.maintenance.day,
      hour: input.maintenance.hour,
      updateTrack: 'stable',
    },
  };
}

/** Settings of a read replica: zonal, no backups of its own (the primary's cover it). */
export function replicaSettings(input: InstanceSettingsInput): Settings {
  return {
    ...commonSettings(input),
    availabilityType: 'ZONAL',
    backupConfiguration: { enabled: false },
  };
}
