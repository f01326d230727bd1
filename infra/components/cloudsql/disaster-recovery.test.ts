import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import {
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
const network = 'projects/aia-platform-production/global/networks/aia-vpc';

function providerOutputs(resource: RecordedResource): Record<string, unknown> {
  const { type, plain } = resource;
  if (type === INSTANCE) {
    return {
      privateIpAddress: '10.60.0.3',
      connectionName: `${plain.project}:${plain.region}:${plain.name}`,
    };
  }
  if (type === 'random:index/randomPassword:RandomPassword') return { result: 'Pw0example' };
  return secretManagerOutputs(resource);
}

describe('CloudSqlPostgres disaster recovery replica (mocks)', () => {
  let recorded: RecordedResource[];
  const ignoreChanges = new Map<string, string[] | undefined>();
  let serving: CloudSqlPostgres;
  let promoted: CloudSqlPostgres;
  let moved: CloudSqlPostgres;
  let base: CloudSqlPostgresArgs;

  beforeAll(async () => {
    recorded = await startMockStack('production', providerOutputs);
    const { CloudSqlPostgres } = await import('./cloudsql.js');
    base = {
      project: 'aia-platform-production',
      region: 'us-central1',
      secretPrefix: 'aia-production',
      network,
      privateServicesConnection: mockPrivateServicesConnection(network),
      databaseVersion: 'POSTGRES_15',
      tier: 'db-custom-8-30720',
      availability: 'REGIONAL',
      diskSizeGb: 200,
      backupRetentionDays: 30,
      pointInTimeRecoveryDays: 7,
      readReplica: false,
      deletionProtection: true,
      maintenance: { day: 7, hour: 2 },
      disasterRecoveryRegion: 'us-east1',
      databases: {
        'economic-governor': { database: 'economic_governor', user: 'economic_governor' },
      },
      labels: resourceLabels({ environment: 'production' }),
    };
    const record: pulumi.ResourceTransformation = ({ name, opts }) => {
      ignoreChanges.set(name, opts.ignoreChanges);
      return undefined;
    };
    serving = new CloudSqlPostgres('dr-sql', base, { transformations: [record] });
    promoted = new CloudSqlPostgres(
      'promoted-sql',
      { ...base, secretPrefix: 'aia-promoted', disasterRecoveryPromoted: true },
      { transformations: [record] },
    );
    // The stack moved to us-east1 around the promoted replica, with a new one in us-central1.
    moved = new CloudSqlPostgres('moved-sql', {
      ...base,
      region: 'us-east1',
      adoptPrimary: { instanceName: 'aia-production-postgres-dr-us-east1' },
      disasterRecoveryRegion: 'us-central1',
    });
    await pulumi.runtime.disconnect();
  });

  it('adds a private replica of the primary in the other region', () => {
    const replica = ofType(recorded, INSTANCE).find((r) => r.name === 'dr-sql-dr-replica');
    expect(replica?.plain).toMatchObject({
      region: 'us-east1',
      name: 'aia-production-postgres-dr-us-east1',
      masterInstanceName: 'aia-production-postgres',
      instanceType: 'READ_REPLICA_INSTANCE',
      deletionProtection: true,
      settings: {
        availabilityType: 'ZONAL',
        backupConfiguration: { enabled: false },
        ipConfiguration: { ipv4Enabled: false, sslMode: 'ENCRYPTED_ONLY' },
      },
    });
  });

  it('leaves a promoted replica alone: no replacement to re-attach it to the primary', () => {
    expect(ignoreChanges.get('dr-sql-dr-replica')).toEqual(
      expect.arrayContaining(['masterInstanceName', 'instanceType', 'replicaConfiguration']),
    );
  });

  it('serves from the primary until promoted, then from the replica', async () => {
    expect(await resolve(serving.servingConnectionName)).toBe(
      'aia-platform-production:us-central1:aia-production-postgres',
    );
    expect(await resolve(serving.disasterRecoveryConnectionName as pulumi.Output<string>)).toBe(
      'aia-platform-production:us-east1:aia-production-postgres-dr-us-east1',
    );
    expect(await resolve(promoted.servingConnectionName)).toBe(
      'aia-platform-production:us-east1:aia-promoted-postgres-dr-us-east1',
    );
  });

  it('names the replica after its region, so a stack moved there adopts it and adds another', async () => {
    const instances = ofType(recorded, INSTANCE)
      .filter((r) => r.name.startsWith('moved-sql-'))
      .map(({ name, plain }) => ({ name, instance: plain.name, region: plain.region }));
    expect(instances).toEqual([
      {
        name: 'moved-sql-primary',
        instance: 'aia-production-postgres-dr-us-east1',
        region: 'us-east1',
      },
      {
        name: 'moved-sql-dr-replica',
        instance: 'aia-production-postgres-dr-us-central1',
        region: 'us-central1',
      },
    ]);
    expect(moved.disasterRecoveryInstanceName).toBe('aia-production-postgres-dr-us-central1');
    expect(moved.replicaInstanceNames).toEqual({
      disasterRecovery: 'aia-production-postgres-dr-us-central1',
    });
    expect(await resolve(moved.servingConnectionName)).toBe(
      'aia-platform-production:us-east1:aia-production-postgres-dr-us-east1',
    );
  });

  it('refuses a promotion without a replica, and a replica in the primary region', async () => {
    const { CloudSqlPostgres } = await import('./cloudsql.js');
    expect(
      () =>
        new CloudSqlPostgres('no-dr', {
          ...base,
          disasterRecoveryRegion: undefined,
          disasterRecoveryPromoted: true,
        }),
    ).toThrow(/disasterRecoveryPromoted is set without disasterRecoveryRegion/);
    expect(
      () => new CloudSqlPostgres('same-region', { ...base, disasterRecoveryRegion: 'us-central1' }),
    ).toThrow(/the primary's own region/);
  });
});
