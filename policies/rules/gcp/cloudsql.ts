import * as gcp from '@pulumi/gcp';
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { validateResourceOfType } from '@pulumi/policy';

type InstanceInputs = { masterInstanceName?: string; instanceType?: string };

/** Read replicas copy their primary: no backups of their own, no standby. */
const isReplica = (instance: InstanceInputs): boolean =>
  Boolean(instance.masterInstanceName) || instance.instanceType === 'READ_REPLICA_INSTANCE';

const SECURE_SSL_MODES = ['ENCRYPTED_ONLY', 'TRUSTED_CLIENT_CERTIFICATE_REQUIRED'];

export const cloudSqlNoPublicIp: ResourceValidationPolicy = {
  name: 'gcp-cloudsql-no-public-ip',
  description:
    'Cloud SQL instances have no public IPv4 address and are reached over private services access.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(gcp.sql.DatabaseInstance, (instance, args, report) => {
    // The API gives an instance a public address unless ipv4Enabled is false.
    if (instance.settings?.ipConfiguration?.ipv4Enabled !== false) {
      report(
        `Cloud SQL instance '${instance.name ?? args.name}' has a public IPv4 address: set settings.ipConfiguration.ipv4Enabled to false and connect over private services access.`,
      );
    }
  }),
};

export const cloudSqlSslRequired: ResourceValidationPolicy = {
  name: 'gcp-cloudsql-ssl-required',
  description: 'Cloud SQL instances refuse unencrypted connections.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(gcp.sql.DatabaseInstance, (instance, args, report) => {
    const sslMode = instance.settings?.ipConfiguration?.sslMode;
    if (!sslMode || !SECURE_SSL_MODES.includes(sslMode)) {
      report(
        `Cloud SQL instance '${instance.name ?? args.name}' accepts unencrypted connections (sslMode ${sslMode ?? 'unset'}): set settings.ipConfiguration.sslMode to ENCRYPTED_ONLY or TRUSTED_CLIENT_CERTIFICATE_REQUIRED.`,
      );
    }
  }),
};

export const cloudSqlBackups: ResourceValidationPolicy = {
  name: 'gcp-cloudsql-backups',
  description: 'Primary Cloud SQL instances take automated backups with point-in-time recovery.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(gcp.sql.DatabaseInstance, (instance, args, report) => {
    if (isReplica(instance)) return;
    const name = instance.name ?? args.name;
    const backups = instance.settings?.backupConfiguration;
    if (backups?.enabled !== true) {
      report(
        `Cloud SQL instance '${name}' has automated backups off: set settings.backupConfiguration.enabled to true.`,
      );
    }
    // MySQL recovers to a point in time from its binary log; PostgreSQL and SQL Server have a flag.
    if (instance.databaseVersion?.startsWith('MYSQL')) {
      if (backups?.binaryLogEnabled !== true) {
        report(
          `Cloud SQL instance '${name}' has point-in-time recovery off: set settings.backupConfiguration.binaryLogEnabled to true.`,
        );
      }
    } else if (backups?.pointInTimeRecoveryEnabled !== true) {
      report(
        `Cloud SQL instance '${name}' has point-in-time recovery off: set settings.backupConfiguration.pointInTimeRecoveryEnabled to true.`,
      );
    }
  }),
};

export const cloudSqlDeletionProtection: ResourceValidationPolicy = {
  name: 'gcp-cloudsql-deletion-protection',
  description:
    'Cloud SQL instances are protected from deletion both by Pulumi and by the Cloud SQL API.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(gcp.sql.DatabaseInstance, (instance, args, report) => {
    const name = instance.name ?? args.name;
    // deletionProtection defaults to true in the provider; only an explicit false opens it.
    if (instance.deletionProtection === false) {
      report(
        `Cloud SQL instance '${name}' can be deleted by Pulumi: set deletionProtection to true.`,
      );
    }
    if (instance.settings?.deletionProtectionEnabled !== true) {
      report(
        `Cloud SQL instance '${name}' can be deleted from the console, gcloud or the API: set settings.deletionProtectionEnabled to true.`,
      );
    }
  }),
};

export const cloudSqlHighAvailability: ResourceValidationPolicy = {
  name: 'gcp-cloudsql-high-availability',
  description: 'Primary Cloud SQL instances are REGIONAL, with a standby in another zone.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(gcp.sql.DatabaseInstance, (instance, args, report) => {
    if (isReplica(instance)) return;
    const availability = instance.settings?.availabilityType ?? 'ZONAL';
    if (availability !== 'REGIONAL') {
      report(
        `Cloud SQL instance '${instance.name ?? args.name}' is ${availability}: set settings.availabilityType to REGIONAL so it fails over to a standby in another zone.`,
      );
    }
  }),
};

export const cloudSqlPostgresReplicaConfiguration: ResourceValidationPolicy = {
  name: 'gcp-cloudsql-postgres-replica-configuration',
  description:
    'PostgreSQL read replicas set no replicaConfiguration: its failover target and dump settings are MySQL only, and Cloud SQL rejects them.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(gcp.sql.DatabaseInstance, (instance, args, report) => {
    if (!instance.databaseVersion?.startsWith('POSTGRES')) return;
    if (instance.replicaConfiguration?.failoverTarget !== undefined) {
      report(
        `Cloud SQL instance '${instance.name ?? args.name}' is PostgreSQL and sets replicaConfiguration.failoverTarget, which only MySQL supports: remove replicaConfiguration, and get failover from settings.availabilityType REGIONAL on the primary.`,
      );
    }
  }),
};

export const cloudSqlPolicies: ResourceValidationPolicy[] = [
  cloudSqlNoPublicIp,
  cloudSqlSslRequired,
  cloudSqlBackups,
  cloudSqlDeletionProtection,
  cloudSqlHighAvailability,
  cloudSqlPostgresReplicaConfiguration,
];
