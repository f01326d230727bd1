import type * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  holdsSecret,
  mockPrivateServicesConnection,
  ofType,
  type RecordedResource,
  resolve,
  secretManagerOutputs,
  startMockStack,
} from '../../../test/harness/pulumi-mock-stack.js';
import { resourceLabels } from '../labels.js';
import type { CloudSqlPostgres, CloudSqlPostgresArgs } from './cloudsql.js';

const INSTANCE = 'gcp:sql/databaseInstance:DatabaseInstance';
const DATABASE = 'gcp:sql/database:Database';
const USER = 'gcp:sql/user:User';
const PASSWORD = 'random:index/randomPassword:RandomPassword';
const SECRET = 'gcp:secretmanager/secret:Secret';
const VERSION = 'gcp:secretmanager/secretVersion:SecretVersion';

const labels = resourceLabels({ environment: 'production' });
const network = 'projects/aia-platform-production/global/networks/aia-vpc';

/** Provider-computed outputs the component reads, as the real provider would return them. */
function providerOutputs(resource: RecordedResource): Record<string, unknown> {
  const { type, name, plain } = resource;
  switch (type) {
    case INSTANCE:
      return {
        privateIpAddress: name.endsWith('replica') ? '10.60.0.4' : '10.60.0.3',
        connectionName: `${plain.project}:${plain.region}:${plain.name}`,
      };
    case PASSWORD:
      return { result: `Pw0${name.replace(/[^A-Za-z0-9]/g, '')}` };
    default:
      return secretManagerOutputs(resource);
  }
}

/** Whether an output is secret, and its value. */
const inspect = async (output: pulumi.Output<unknown>) => ({
  secret: await pulumi.isSecret(output),
  value: await resolve(output),
});

describe('CloudSqlPostgres (mocks)', () => {
  let recorded: RecordedResource[];
  const dependsOn = new Map<string, unknown>();
  const ignoreChanges = new Map<string, string[] | undefined>();
  let production: CloudSqlPostgres;
  let staging: CloudSqlPostgres;
  let passwords: string[];
  let connection: gcp.servicenetworking.Connection;

  const named = (type: string, prefix: string) =>
    ofType(recorded, type).filter((resource) => resource.name.startsWith(prefix));

  beforeAll(async () => {
    recorded = await startMockStack('production', providerOutputs);
    const { CloudSqlPostgres } = await import('./cloudsql.js');
    connection = mockPrivateServicesConnection(network);
    const base: CloudSqlPostgresArgs = {
      project: 'aia-platform-production',
      region: 'us-central1',
      secretPrefix: 'aia-production',
      network,
      privateServicesConnection: connection,
      databaseVersion: 'POSTGRES_16',
      tier: 'db-custom-8-30720',
      availability: 'REGIONAL',
      diskSizeGb: 200,
      backupRetentionDays: 30,
      pointInTimeRecoveryDays: 7,
      readReplica: true,
      deletionProtection: true,
      maintenance: { day: 7, hour: 2 },
      databases: {
        'economic-governor': { database: 'economic_governor', user: 'economic_governor' },
        'aia-api': { database: 'aia_api', user: 'aia_api' },
      },
      labels,
    };
    // A transformation sees each child's options: the only way to check dependsOn under mocks.
    const recordDependsOn: pulumi.ResourceTransformation = ({ name, opts }) => {
      dependsOn.set(name, opts.dependsOn);
      ignoreChanges.set(name, opts.ignoreChanges);
      return undefined;
    };
    production = new CloudSqlPostgres('prod-sql', base, { transformations: [recordDependsOn] });
    staging = new CloudSqlPostgres(
      'stage-sql',
      {
        ...base,
        secretPrefix: 'aia-staging',
        availability: 'ZONAL',
        readReplica: false,
        deletionProtection: false,
        backupRetentionDays: 7,
        pointInTimeRecoveryDays: 3,
        databases: { 'aia-api': { database: 'aia_api', user: 'aia_api' } },
      },
      { transformations: [recordDependsOn] },
    );
    // Drains every pending registration (NOTES.md), so assertions see all resources.
    await pulumi.runtime.disconnect();
    passwords = ofType(recorded, PASSWORD).map(
      (resource) => `Pw0${resource.name.replace(/[^A-Za-z0-9]/g, '')}`,
    );
  });

  it('records the instances, databases, users, passwords and secrets', () => {
    expect(recorded.filter((r) => r.type === 'aia:platform:CloudSqlPostgres')).toHaveLength(2);
    expect(
      ofType(recorded, INSTANCE)
        .map((r) => r.name)
        .sort(),
    ).toEqual(['prod-sql-primary', 'prod-sql-replica', 'stage-sql-primary']);
    expect(passwords).toHaveLength(3);
  });

  it('gives every instance a private address only, in the VPC, with TLS required', () => {
    for (const instance of ofType(recorded, INSTANCE)) {
      expect(instance.plain.settings).toMatchObject({
        ipConfiguration: {
          ipv4Enabled: false,
          privateNetwork: network,
          sslMode: 'ENCRYPTED_ONLY',
        },
      });
      expect(JSON.stringify(instance.plain)).not.toMatch(/authorizedNetworks|0\.0\.0\.0/);
    }
  });

  it('waits for private services access before creating an instance', () => {
    for (const name of ['prod-sql-primary', 'prod-sql-replica', 'stage-sql-primary']) {
      const depends = dependsOn.get(name) as pulumi.Resource[];
      expect(depends).toHaveLength(1);
      expect(depends[0]).toBe(connection);
    }
  });

  it('keeps daily backups with point-in-time recovery, retention and a start before maintenance', () => {
    const [prod] = named(INSTANCE, 'prod-sql-primary');
    const [stage] = named(INSTANCE, 'stage-sql-primary');
    expect(prod?.plain.settings).toMatchObject({
      backupConfiguration: {
        enabled: true,
        pointInTimeRecoveryEnabled: true,
        transactionLogRetentionDays: 7,
        startTime: '00:00',
        backupRetentionSettings: { retainedBackups: 30, retentionUnit: 'COUNT' },
      },
      maintenanceWindow: { day: 7, hour: 2, updateTrack: 'stable' },
      insightsConfig: { queryInsightsEnabled: true },
      diskAutoresize: true,
      diskSize: 200,
      edition: 'ENTERPRISE',
      tier: 'db-custom-8-30720',
      userLabels: labels,
    });
    expect(stage?.plain.settings).toMatchObject({
      backupConfiguration: {
        transactionLogRetentionDays: 3,
        backupRetentionSettings: { retainedBackups: 7 },
      },
    });
  });

  it('turns on connection, DDL and pgAudit logging, and commit timestamps for the restore drill', () => {
    for (const instance of ofType(recorded, INSTANCE)) {
      const { databaseFlags } = instance.plain.settings as { databaseFlags: unknown[] };
      expect(databaseFlags).toEqual(
        expect.arrayContaining([
          { name: 'log_connections', value: 'on' },
          { name: 'log_disconnections', value: 'on' },
          { name: 'log_statement', value: 'ddl' },
          { name: 'cloudsql.enable_pgaudit', value: 'on' },
          { name: 'track_commit_timestamp', value: 'on' },
        ]),
      );
    }
  });
  it('protects the production instances from deletion on both the Pulumi and the API side', () => {
    for (const instance of named(INSTANCE, 'prod-sql')) {
      expect(instance.plain.deletionProtection).toBe(true);
      expect(instance.plain.settings).toMatchObject({ deletionProtectionEnabled: true });
    }
    for (const database of named(DATABASE, 'prod-sql'))
      expect(database.plain.deletionPolicy).toBe('ABANDON');
    for (const secret of named(SECRET, 'prod-sql'))
      expect(secret.plain.deletionProtection).toBe(true);
  });

  it('leaves both deletion protections off when asked', () => {
    const [stage] = named(INSTANCE, 'stage-sql');
    expect(stage?.plain.deletionProtection).toBe(false);
    expect(stage?.plain.settings).toMatchObject({ deletionProtectionEnabled: false });
    expect(named(DATABASE, 'stage-sql')[0]?.plain.deletionPolicy).toBe('DELETE');
  });

  it('is regional with a read replica only when asked', async () => {
    const [prod] = named(INSTANCE, 'prod-sql-primary');
    const [replica] = named(INSTANCE, 'prod-sql-replica');
    expect(prod?.plain.settings).toMatchObject({ availabilityType: 'REGIONAL' });
    expect(replica?.plain).toMatchObject({
      masterInstanceName: 'aia-production-postgres',
      databaseVersion: 'POSTGRES_16',
      deletionProtection: true,
      settings: { availabilityType: 'ZONAL', backupConfiguration: { enabled: false } },
    });
    expect(await resolve(production.replicaConnectionName as pulumi.Output<string>)).toBe(
      'aia-platform-production:us-central1:aia-production-postgres-replica-us-central1',
    );
    expect(named(INSTANCE, 'stage-sql-primary')[0]?.plain.settings).toMatchObject({
      availabilityType: 'ZONAL',
    });
    expect(staging.replicaConnectionName).toBeUndefined();
  });

  it('ignores the disk size after creation, since autoresize grows it', () => {
    for (const name of ['prod-sql-primary', 'prod-sql-replica', 'stage-sql-primary']) {
      const [instance] = named(INSTANCE, name);
      expect(instance?.plain.settings).toMatchObject({ diskSize: 200, diskAutoresize: true });
      expect(ignoreChanges.get(name)).toEqual(['settings.diskSize']);
    }
  });

  it('gives the PostgreSQL read replica no replicaConfiguration (failoverTarget is MySQL only)', () => {
    const [replica] = named(INSTANCE, 'prod-sql-replica');
    expect(replica?.plain).not.toHaveProperty('replicaConfiguration');
  });

  it('creates one database, one user and one URL secret per service', () => {
    expect(named(DATABASE, 'prod-sql').map((r) => r.plain.name)).toEqual([
      'economic_governor',
      'aia_api',
    ]);
    expect(named(USER, 'prod-sql').map((r) => r.plain)).toEqual([
      expect.objectContaining({ name: 'economic_governor', instance: 'aia-production-postgres' }),
      expect.objectContaining({ name: 'aia_api', instance: 'aia-production-postgres' }),
    ]);
    expect(named(SECRET, 'prod-sql').map((r) => r.plain)).toEqual([
      expect.objectContaining({
        secretId: 'aia-production-economic-governor-database-url',
        labels: { ...labels, service: 'economic-governor' },
      }),
      expect.objectContaining({ secretId: 'aia-production-aia-api-database-url' }),
    ]);
    for (const password of ofType(recorded, PASSWORD)) {
      expect(password.plain).toMatchObject({ special: false });
      expect(password.plain.length).toBeGreaterThanOrEqual(32);
    }
  });

  it('outputs each service its database URL as a secret, on the private address with sslmode=require', async () => {
    const governor = production.databases['economic-governor'];
    expect(await inspect(governor?.databaseUrl as pulumi.Output<string>)).toEqual({
      secret: true,
      value:
        'postgres://economic_governor:Pw0prodsqleconomicgovernorpassword@10.60.0.3:5432/economic_governor?sslmode=require',
    });
    expect(await resolve(governor?.databaseUrlSecretId as pulumi.Output<string>)).toBe(
      'projects/aia-platform-production/secrets/aia-production-economic-governor-database-url',
    );
    const [version] = named(VERSION, 'prod-sql-economic-governor');
    expect(holdsSecret(version?.inputs.secretData)).toBe(true);
    expect(version?.plain.secretData).toBe(
      await resolve(governor?.databaseUrl as pulumi.Output<string>),
    );
  });

  it('sends every password as a secret input', () => {
    const carriers: string[] = [];
    for (const resource of recorded) {
      for (const [key, value] of Object.entries(resource.inputs)) {
        const plainText = JSON.stringify(resource.plain[key]);
        if (passwords.some((password) => plainText?.includes(password))) {
          expect(holdsSecret(value), `${resource.name}.${key}`).toBe(true);
          carriers.push(`${resource.type}.${key}`);
        }
      }
    }
    // Each password reaches its user and, inside the URL, its secret version.
    expect(carriers.sort()).toEqual(
      [...Array(3).fill(`${USER}.password`), ...Array(3).fill(`${VERSION}.secretData`)].sort(),
    );
  });

  it('keeps every other output plain and free of passwords', async () => {
    for (const sql of [production, staging]) {
      const plainOutputs = [
        sql.instanceName,
        sql.connectionName,
        sql.privateIp,
        ...Object.values(sql.databases).flatMap((db) => [
          db.database,
          db.user,
          db.databaseUrlSecretId,
        ]),
      ];
      for (const output of plainOutputs) {
        const { secret, value } = await inspect(output);
        expect(secret).toBe(false);
        for (const password of passwords) expect(String(value)).not.toContain(password);
      }
    }
    expect(await resolve(production.privateIp)).toBe('10.60.0.3');
    expect(await resolve(production.connectionName)).toBe(
      'aia-platform-production:us-central1:aia-production-postgres',
    );
  });
});

describe('Cloud SQL builders', () => {
  const valid = {
    network,
    tier: 'db-custom-2-7680',
    availability: 'ZONAL' as const,
    diskSizeGb: 20,
    backupRetentionDays: 7,
    pointInTimeRecoveryDays: 3,
    deletionProtection: false,
    maintenance: { day: 7, hour: 2 },
    labels,
  };

  it('runs custom tiers on ENTERPRISE and perf-optimized tiers on ENTERPRISE_PLUS', async () => {
    const { sqlEdition } = await import('./settings.js');
    expect(sqlEdition('db-custom-2-7680')).toBe('ENTERPRISE');
    expect(sqlEdition('db-g1-small')).toBe('ENTERPRISE');
    expect(sqlEdition('db-perf-optimized-N-4')).toBe('ENTERPRISE_PLUS');
  });

  it('rejects settings Cloud SQL would refuse, saying why', async () => {
    const { validateInstanceSettings } = await import('./settings.js');
    expect(() => validateInstanceSettings(valid)).not.toThrow();
    expect(() => validateInstanceSettings({ ...valid, pointInTimeRecoveryDays: 14 })).toThrow(
      'pointInTimeRecoveryDays is 14: tier db-custom-2-7680 runs on ENTERPRISE, which keeps 1 to 7 days of transaction log',
    );
    expect(() =>
      validateInstanceSettings({
        ...valid,
        tier: 'db-perf-optimized-N-4',
        pointInTimeRecoveryDays: 14,
        backupRetentionDays: 30,
      }),
    ).not.toThrow();
    expect(() => validateInstanceSettings({ ...valid, backupRetentionDays: 3 })).toThrow(
      /backupRetentionDays is 3: it must exceed pointInTimeRecoveryDays \(3\)/,
    );
    expect(() => validateInstanceSettings({ ...valid, maintenance: { day: 0, hour: 2 } })).toThrow(
      /expected day 1 \(Monday\) to 7 \(Sunday\)/,
    );
    expect(() =>
      validateInstanceSettings({
        ...valid,
        region: 'us-central1',
        disasterRecoveryRegion: 'us-central1',
      }),
    ).toThrow(/disasterRecoveryRegion is us-central1, the primary's own region/);
  });

  it('starts backups two hours before maintenance, wrapping past midnight', async () => {
    const { backupStartTime } = await import('./settings.js');
    expect(backupStartTime(2)).toBe('00:00');
    expect(backupStartTime(1)).toBe('23:00');
    expect(backupStartTime(14)).toBe('12:00');
  });

  it('rejects database maps that would collide or are not PostgreSQL identifiers', async () => {
    const { validateDatabases } = await import('./databases.js');
    expect(() =>
      validateDatabases({
        a: { database: 'shared', user: 'a' },
        b: { database: 'shared', user: 'b' },
      }),
    ).toThrow('b and a share the database "shared": each service gets its own');
    expect(() => validateDatabases({ api: { database: 'aia-api', user: 'aia_api' } })).toThrow(
      /The database of api, "aia-api", must be a lower-case PostgreSQL identifier/,
    );
    expect(() => validateDatabases({ API: { database: 'api', user: 'api' } })).toThrow(
      /Service "API"/,
    );
  });

  it('URL-encodes every part of the database URL', async () => {
    const { postgresUrl } = await import('./databases.js');
    expect(
      postgresUrl({ user: 'u', password: 'p@ss/word', host: '10.0.0.3', database: 'db' }),
    ).toBe('postgres://u:p%40ss%2Fword@10.0.0.3:5432/db?sslmode=require');
  });
});
