import { describe, expect, it } from 'vitest';
import { violationsOf } from '../../../test/harness/policy-fixtures.js';
import {
  cloudSqlBackups,
  cloudSqlDeletionProtection,
  cloudSqlHighAvailability,
  cloudSqlNoPublicIp,
  cloudSqlPostgresReplicaConfiguration,
  cloudSqlSslRequired,
} from './cloudsql.js';
import { gcpPolicies } from './index.js';
import { sqlDisasterRecoveryReplica, sqlPrimary, sqlReplica } from './test-fixtures.js';
import { violation, withInput } from './test-helpers.js';

describe('Cloud SQL policies', () => {
  it('pass the production primary and its read replica under every GCP policy', async () => {
    expect(
      await violationsOf(gcpPolicies, [sqlPrimary(), sqlReplica(), sqlDisasterRecoveryReplica()]),
    ).toEqual([]);
  });

  it('flag a public IPv4 address, set or left to the API default', async () => {
    const message =
      "Cloud SQL instance 'aia-production-postgres' has a public IPv4 address: set settings.ipConfiguration.ipv4Enabled to false and connect over private services access.";
    for (const ipv4Enabled of [true, undefined]) {
      const instance = withInput(sqlPrimary(), 'settings.ipConfiguration.ipv4Enabled', ipv4Enabled);
      expect(await violationsOf([cloudSqlNoPublicIp], [instance])).toEqual([
        violation(cloudSqlNoPublicIp, instance, message),
      ]);
    }
  });

  it('flag an instance that accepts unencrypted connections', async () => {
    const instance = withInput(
      sqlPrimary(),
      'settings.ipConfiguration.sslMode',
      'ALLOW_UNENCRYPTED_AND_ENCRYPTED',
    );
    expect(await violationsOf([cloudSqlSslRequired], [instance])).toEqual([
      violation(
        cloudSqlSslRequired,
        instance,
        "Cloud SQL instance 'aia-production-postgres' accepts unencrypted connections (sslMode ALLOW_UNENCRYPTED_AND_ENCRYPTED): set settings.ipConfiguration.sslMode to ENCRYPTED_ONLY or TRUSTED_CLIENT_CERTIFICATE_REQUIRED.",
      ),
    ]);
    const unset = withInput(sqlPrimary(), 'settings.ipConfiguration.sslMode', undefined);
    const [unsetViolation] = await violationsOf([cloudSqlSslRequired], [unset]);
    expect(unsetViolation?.message).toContain('(sslMode unset)');
  });

  it('accept client certificates as the SSL mode', async () => {
    const instance = withInput(
      sqlPrimary(),
      'settings.ipConfiguration.sslMode',
      'TRUSTED_CLIENT_CERTIFICATE_REQUIRED',
    );
    expect(await violationsOf([cloudSqlSslRequired], [instance])).toEqual([]);
  });

  it('flag a primary without backups or point-in-time recovery', async () => {
    const noBackups = withInput(sqlPrimary(), 'settings.backupConfiguration.enabled', false);
    expect(await violationsOf([cloudSqlBackups], [noBackups])).toEqual([
      violation(
        cloudSqlBackups,
        noBackups,
        "Cloud SQL instance 'aia-production-postgres' has automated backups off: set settings.backupConfiguration.enabled to true.",
      ),
    ]);
    const noPitr = withInput(
      sqlPrimary(),
      'settings.backupConfiguration.pointInTimeRecoveryEnabled',
      undefined,
    );
    expect(await violationsOf([cloudSqlBackups], [noPitr])).toEqual([
      violation(
        cloudSqlBackups,
        noPitr,
        "Cloud SQL instance 'aia-production-postgres' has point-in-time recovery off: set settings.backupConfiguration.pointInTimeRecoveryEnabled to true.",
      ),
    ]);
  });

  it('ask MySQL primaries for the binary log that gives them point-in-time recovery', async () => {
    const mysql = withInput(sqlPrimary(), 'databaseVersion', 'MYSQL_8_0');
    const [found] = await violationsOf([cloudSqlBackups], [mysql]);
    expect(found?.message).toBe(
      "Cloud SQL instance 'aia-production-postgres' has point-in-time recovery off: set settings.backupConfiguration.binaryLogEnabled to true.",
    );
    const withLog = withInput(mysql, 'settings.backupConfiguration.binaryLogEnabled', true);
    expect(await violationsOf([cloudSqlBackups], [withLog])).toEqual([]);
  });

  it('flag each missing deletion protection, Pulumi side and API side', async () => {
    const unprotected = withInput(
      withInput(sqlPrimary(), 'deletionProtection', false),
      'settings.deletionProtectionEnabled',
      undefined,
    );
    expect(await violationsOf([cloudSqlDeletionProtection], [unprotected])).toEqual([
      violation(
        cloudSqlDeletionProtection,
        unprotected,
        "Cloud SQL instance 'aia-production-postgres' can be deleted by Pulumi: set deletionProtection to true.",
      ),
      violation(
        cloudSqlDeletionProtection,
        unprotected,
        "Cloud SQL instance 'aia-production-postgres' can be deleted from the console, gcloud or the API: set settings.deletionProtectionEnabled to true.",
      ),
    ]);
  });

  it('rely on the provider default (true) when deletionProtection is not set', async () => {
    const instance = withInput(sqlPrimary(), 'deletionProtection', undefined);
    expect(await violationsOf([cloudSqlDeletionProtection], [instance])).toEqual([]);
  });

  it('flag a zonal primary but not a zonal read replica', async () => {
    const zonal = withInput(sqlPrimary(), 'settings.availabilityType', 'ZONAL');
    expect(await violationsOf([cloudSqlHighAvailability], [zonal, sqlReplica()])).toEqual([
      violation(
        cloudSqlHighAvailability,
        zonal,
        "Cloud SQL instance 'aia-production-postgres' is ZONAL: set settings.availabilityType to REGIONAL so it fails over to a standby in another zone.",
      ),
    ]);
  });

  it('treat an unset availability type as ZONAL, at the level the stack config sets', async () => {
    const unset = withInput(sqlPrimary(), 'settings.availabilityType', undefined);
    const config = { 'gcp-cloudsql-high-availability': 'advisory' as const };
    const [found] = await violationsOf([cloudSqlHighAvailability], [unset], config);
    expect(found?.enforcementLevel).toBe('advisory');
    expect(found?.message).toContain("'aia-production-postgres' is ZONAL");
  });

  it('flag a PostgreSQL replica with a failover target, which only MySQL supports', async () => {
    const replica = withInput(sqlReplica(), 'replicaConfiguration', { failoverTarget: false });
    expect(await violationsOf([cloudSqlPostgresReplicaConfiguration], [replica])).toEqual([
      violation(
        cloudSqlPostgresReplicaConfiguration,
        replica,
        "Cloud SQL instance 'aia-production-postgres-replica' is PostgreSQL and sets replicaConfiguration.failoverTarget, which only MySQL supports: remove replicaConfiguration, and get failover from settings.availabilityType REGIONAL on the primary.",
      ),
    ]);
    const mysql = withInput(replica, 'databaseVersion', 'MYSQL_8_0');
    expect(await violationsOf([cloudSqlPostgresReplicaConfiguration], [mysql])).toEqual([]);
  });
});
