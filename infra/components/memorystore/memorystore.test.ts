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
import type { MemorystoreRedis, MemorystoreRedisArgs } from './memorystore.js';

const REDIS = 'gcp:redis/instance:Instance';
const SECRET = 'gcp:secretmanager/secret:Secret';
const VERSION = 'gcp:secretmanager/secretVersion:SecretVersion';

const labels = resourceLabels({ environment: 'production' });
const network = 'projects/aia-platform-production/global/networks/aia-vpc';
const authStringOf = (name: string) => `auth-${name}-7f3e9a`;
const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function providerOutputs(resource: RecordedResource): Record<string, unknown> {
  const { type, name } = resource;
  switch (type) {
    case REDIS:
      return {
        host: name.startsWith('prod') ? '10.60.1.4' : '10.61.1.4',
        port: 6378,
        authString: authStringOf(name),
        serverCaCerts: [
          { cert: CA, createTime: '', expireTime: '', serialNumber: '1', sha1Fingerprint: 'ab' },
        ],
      };
    default:
      return secretManagerOutputs(resource);
  }
}

describe('MemorystoreRedis (mocks)', () => {
  let recorded: RecordedResource[];
  let connection: gcp.servicenetworking.Connection;
  const dependsOn = new Map<string, unknown>();
  let production: MemorystoreRedis;
  let staging: MemorystoreRedis;

  const instance = (prefix: string) =>
    ofType(recorded, REDIS).find((r) => r.name.startsWith(prefix));

  beforeAll(async () => {
    recorded = await startMockStack('production', providerOutputs);
    const { MemorystoreRedis } = await import('./memorystore.js');
    connection = mockPrivateServicesConnection(network);
    const base: MemorystoreRedisArgs = {
      project: 'aia-platform-production',
      region: 'us-central1',
      secretPrefix: 'aia-production',
      network,
      privateServicesConnection: connection,
      tier: 'STANDARD_HA',
      memorySizeGb: 5,
      version: 'REDIS_7_2',
      snapshotPeriod: 'ONE_HOUR',
      maintenance: { day: 'SUNDAY', hour: 2 },
      labels,
    };
    const recordDependsOn: pulumi.ResourceTransformation = ({ name, opts }) => {
      dependsOn.set(name, opts.dependsOn);
      return undefined;
    };
    production = new MemorystoreRedis('prod-redis', base, { transformations: [recordDependsOn] });
    staging = new MemorystoreRedis('stage-redis', {
      ...base,
      secretPrefix: 'aia-staging',
      tier: 'BASIC',
      memorySizeGb: 1,
      snapshotPeriod: 'SIX_HOURS',
      maintenance: { day: 'SATURDAY', hour: 4 },
      deletionProtection: false,
    });
    // Drains every pending registration (NOTES.md), so assertions see all resources.
    await pulumi.runtime.disconnect();
  });

  it('records an instance and a URL secret per component', () => {
    expect(recorded.filter((r) => r.type === 'aia:platform:MemorystoreRedis')).toHaveLength(2);
    expect(
      ofType(recorded, REDIS)
        .map((r) => r.name)
        .sort(),
    ).toEqual(['prod-redis-instance', 'stage-redis-instance']);
    expect(
      ofType(recorded, SECRET)
        .map((r) => r.plain.secretId)
        .sort(),
    ).toEqual(['aia-production-redis-url', 'aia-staging-redis-url']);
  });

  it('connects over private services access and waits for it', () => {
    expect(instance('prod')?.plain).toMatchObject({
      name: 'aia-production-redis',
      connectMode: 'PRIVATE_SERVICE_ACCESS',
      authorizedNetwork: network,
    });
    expect(dependsOn.get('prod-redis-instance')).toHaveLength(1);
    expect((dependsOn.get('prod-redis-instance') as unknown[])[0]).toBe(connection);
  });

  it('requires AUTH and encrypts traffic in transit', () => {
    for (const redis of ofType(recorded, REDIS)) {
      expect(redis.plain).toMatchObject({
        authEnabled: true,
        transitEncryptionMode: 'SERVER_AUTHENTICATION',
      });
    }
  });

  it('persists with RDB snapshots at the configured period', () => {
    expect(instance('prod')?.plain.persistenceConfig).toEqual({
      persistenceMode: 'RDB',
      rdbSnapshotPeriod: 'ONE_HOUR',
    });
    expect(instance('stage')?.plain.persistenceConfig).toEqual({
      persistenceMode: 'RDB',
      rdbSnapshotPeriod: 'SIX_HOURS',
    });
  });

  it('keeps maintenance to the weekly window', () => {
    expect(instance('prod')?.plain.maintenancePolicy).toEqual({
      weeklyMaintenanceWindows: [
        { day: 'SUNDAY', startTime: { hours: 2, minutes: 0, seconds: 0, nanos: 0 } },
      ],
    });
    expect(instance('stage')?.plain.maintenancePolicy).toMatchObject({
      weeklyMaintenanceWindows: [{ day: 'SATURDAY', startTime: { hours: 4 } }],
    });
  });

  it('runs STANDARD_HA with one failover replica, BASIC without replica settings', () => {
    expect(instance('prod')?.plain).toMatchObject({
      tier: 'STANDARD_HA',
      replicaCount: 1,
      readReplicasMode: 'READ_REPLICAS_DISABLED',
      redisVersion: 'REDIS_7_2',
      memorySizeGb: 5,
      labels,
    });
    expect(instance('stage')?.plain).toMatchObject({ tier: 'BASIC' });
    expect(instance('stage')?.plain).not.toHaveProperty('replicaCount');
    expect(instance('stage')?.plain).not.toHaveProperty('readReplicasMode');
  });

  it('protects the instance and its secret from deletion unless told otherwise', () => {
    expect(instance('prod')?.plain.deletionProtection).toBe(true);
    expect(instance('stage')?.plain.deletionProtection).toBe(false);
    const secrets = ofType(recorded, SECRET);
    expect(secrets.find((s) => s.name.startsWith('prod'))?.plain.deletionProtection).toBe(true);
    expect(secrets.find((s) => s.name.startsWith('stage'))?.plain.deletionProtection).toBe(false);
  });

  it('outputs the TLS URL with the AUTH string as a secret, and stores it as one', async () => {
    expect(await pulumi.isSecret(production.redisUrl)).toBe(true);
    const url = await resolve(production.redisUrl);
    expect(url).toBe(`rediss://:${authStringOf('prod-redis-instance')}@10.60.1.4:6378`);
    const version = ofType(recorded, VERSION).find((v) => v.name.startsWith('prod'));
    expect(holdsSecret(version?.inputs.secretData)).toBe(true);
    expect(version?.plain.secretData).toBe(url);
    expect(await resolve(production.redisUrlSecretId)).toBe(
      'projects/aia-platform-production/secrets/aia-production-redis-url',
    );
  });

  it('keeps host, port, secret id and CA certificates plain and free of the AUTH string', async () => {
    for (const redis of [production, staging]) {
      const outputs: pulumi.Output<unknown>[] = [
        redis.host,
        redis.port,
        redis.redisUrlSecretId,
        redis.serverCaCertificates,
      ];
      for (const output of outputs) {
        expect(await pulumi.isSecret(output)).toBe(false);
        expect(JSON.stringify(await resolve(output))).not.toContain('auth-');
      }
    }
    expect(await resolve(production.host)).toBe('10.60.1.4');
    expect(await resolve(production.port)).toBe(6378);
    expect(await resolve(production.serverCaCertificates)).toEqual([CA]);
  });

  it('rejects a prefix that makes an instance ID Memorystore would refuse', async () => {
    const { redisInstanceId } = await import('./settings.js');
    expect(redisInstanceId('aia-production')).toBe('aia-production-redis');
    expect(() => redisInstanceId('aia-production-with-a-very-long-suffix')).toThrow(
      /1 to 40 lower-case letters/,
    );
  });
});
