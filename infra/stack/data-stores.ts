import type * as pulumi from '@pulumi/pulumi';
import { serviceDefinition, serviceNames } from '../../services/catalog.js';
import {
  CloudSqlAuditors,
  CloudSqlExports,
  CloudSqlPostgres,
  defaultExportStartHour,
} from '../components/cloudsql/index.js';
import { ConfigBackups } from '../components/config-backups/index.js';
import { resourceLabels } from '../components/labels.js';
import { MemorystoreRedis } from '../components/memorystore/index.js';
import { configuredBackupLocation } from '../components/object-storage/backup-location.js';
import { ObjectStorage } from '../components/object-storage/index.js';
import { PlatformSecrets } from '../components/secrets/index.js';
import { TokenIssuerKey } from '../components/token-issuer/index.js';
import { databaseOwners, SECRET_KEYS, type SecretKey } from '../config.js';
import { cloudSqlMaintenance, memorystoreMaintenance } from '../maintenance/window.js';
import type { StackContext } from './context.js';
import type { foundation } from './foundation.js';

type Foundation = ReturnType<typeof foundation>;

/**
 * The managed data stores and the platform's secrets: Cloud SQL (a database per service),
 * Memorystore, Cloud Storage, the token issuer's key and the generated application secrets.
 */
export function dataStores(
  { config, secrets, prefix, labels }: StackContext,
  { vpc, afterApis }: Pick<Foundation, 'vpc' | 'afterApis'>,
) {
  const serviceDatabases = Object.fromEntries(
    databaseOwners().map((name) => [
      name,
      { database: name.replaceAll('-', '_'), user: name.replaceAll('-', '_') },
    ]),
  );
  const postgres = new CloudSqlPostgres(
    prefix,
    {
      project: config.project,
      region: config.region,
      secretPrefix: prefix,
      network: vpc.networkId,
      privateServicesConnection: vpc.privateServicesConnection,
      ...config.cloudSql,
      disasterRecoveryRegion: config.cloudSql.disasterRecovery?.region,
      disasterRecoveryPromoted: config.cloudSql.disasterRecovery?.promoted,
      maintenance: cloudSqlMaintenance(config.maintenance),
      databases: serviceDatabases,
      labels,
    },
    afterApis,
  );

  // The people who run the ledger checks log in as themselves, read-only (docs/cloudsql-iam.md).
  const sqlAuditors =
    config.cloudSql.auditorsGroup === undefined
      ? undefined
      : new CloudSqlAuditors(
          `${prefix}-sql-auditors`,
          {
            project: config.project,
            instance: postgres.instanceName,
            group: config.cloudSql.auditorsGroup,
            adoptedInstance: config.cloudSql.adoptPrimary?.instanceName,
          },
          afterApis,
        );

  // Daily SQL dumps of every database, independent of Cloud SQL's own backups.
  const sqlExports = new CloudSqlExports(
    `${prefix}-sql-exports`,
    {
      project: config.project,
      region: config.region,
      // Outside the region alone: the exports must outlive it (lost-region.md).
      backupLocation: configuredBackupLocation(config),
      prefix,
      instanceName: postgres.servingInstanceName,
      instanceServiceAccounts: postgres.servingServiceAccounts,
      databases: Object.values(serviceDatabases).map(({ database }) => database),
      startHour:
        config.cloudSql.exports.startHour ??
        defaultExportStartHour(config.maintenance.startHour, Object.keys(serviceDatabases).length),
      retentionDays: config.cloudSql.exports.retentionDays,
      labels: resourceLabels({ environment: config.stack, service: 'cloudsql-exports' }),
      kmsKeyName: config.backups.kmsKeyName ?? config.objectStorage.kmsKeyName,
      deletionProtection: config.cloudSql.deletionProtection,
    },
    afterApis,
  );

  // The daily backup of the stack's config and state (secrets as ciphertext), in the same
  // location and under the same key as the other backups: the state bucket is regional.
  const configBackups = new ConfigBackups(
    `${prefix}-config-backups`,
    {
      project: config.project,
      prefix,
      backupLocation: configuredBackupLocation(config),
      retentionDays: config.backups.configRetentionDays,
      labels: resourceLabels({ environment: config.stack, service: 'config-backups' }),
      kmsKeyName: config.backups.kmsKeyName ?? config.objectStorage.kmsKeyName,
      deletionProtection: config.cluster.deletionProtection,
    },
    afterApis,
  );

  const memorystore = new MemorystoreRedis(
    prefix,
    {
      project: config.project,
      region: config.region,
      secretPrefix: prefix,
      network: vpc.networkId,
      privateServicesConnection: vpc.privateServicesConnection,
      ...config.redis,
      maintenance: memorystoreMaintenance(config.maintenance),
      labels,
    },
    afterApis,
  );

  // Structured reports on Cloud Storage, reached over the S3 API (docs/object-storage.md). MinIO,
  // which held them before, was archived upstream: no releases, no security fixes. In the backups'
  // location, not the stack's region: a region lost takes no report with it, and a stack moved
  // to the surviving region keeps the same bucket (bucket names are global).
  const objectStore = new ObjectStorage(
    `${prefix}-objects`,
    {
      project: config.project,
      location: configuredBackupLocation(config),
      prefix,
      buckets: { reports: { retentionDays: config.objectStorage.reportsRetentionDays } },
      labels: resourceLabels({ environment: config.stack, service: 'object-storage' }),
      kmsKeyName: config.backups.kmsKeyName ?? config.objectStorage.kmsKeyName,
      deletionProtection: config.cluster.deletionProtection,
    },
    afterApis,
  );

  // The one token issuer's key: its private half reaches the gateway only, its public key set
  // every service. Calling services' own keys: each reaches its service only.
  const tokenIssuer = new TokenIssuerKey(prefix, {
    ...(secrets.jwtSigningKey ? { signingKey: secrets.jwtSigningKey } : {}),
    additionalPublicKeys: config.tokenIssuer.additionalPublicKeys,
    // Every service that calls another signs its own tokens (docs/service-clients.md).
    services: serviceNames.filter((name) => Object.keys(serviceDefinition(name).calls).length > 0),
  });

  const platformSecrets = new PlatformSecrets(
    prefix,
    {
      project: config.project,
      secretPrefix: prefix,
      labels,
      // Keys that encrypt or sign data live as long as the data: they follow Cloud SQL's protection.
      deletionProtection: config.cloudSql.deletionProtection,
      generated: Object.values(SECRET_KEYS)
        .filter((key) => key.generated)
        .map((key) => key.env),
      provided: {
        ...Object.fromEntries(
          (Object.entries(secrets) as [SecretKey, pulumi.Output<string>][]).map(([key, value]) => [
            SECRET_KEYS[key].env,
            value,
          ]),
        ),
        JWT_SIGNING_KEY: tokenIssuer.signingKey,
      },
    },
    afterApis,
  );
  return {
    serviceDatabases,
    postgres,
    sqlAuditors,
    sqlExports,
    configBackups,
    memorystore,
    objectStore,
    tokenIssuer,
    platformSecrets,
  };
}
