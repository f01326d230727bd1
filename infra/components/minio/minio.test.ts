import * as pulumi from '@pulumi/pulumi';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { Secret } from 'kubernetes-models/v1/Secret';
import { beforeAll, describe, expect, it } from 'vitest';
import { packViolations, plannedFromRecorded } from '../../../test/harness/policy-fixtures.js';
import {
  holdsSecret,
  ofType,
  type RecordedResource,
  resolve,
  startMockStack,
} from '../../../test/harness/pulumi-mock-stack.js';
import { secretPlaceholder } from '../../../tools/plan/placeholders.js';
import type { MinioStorage, MinioStorageArgs } from './minio.js';

const RELEASE = 'kubernetes:helm.sh/v3:Release';
const SECRET = 'kubernetes:core/v1:Secret';
const POLICY = 'kubernetes:networking.k8s.io/v1:NetworkPolicy';

const providerOutputs = ({ type, name }: RecordedResource): Record<string, unknown> =>
  type === 'random:index/randomPassword:RandomPassword' ? { result: secretPlaceholder(name) } : {};

describe('MinioStorage (mocks)', () => {
  let recorded: RecordedResource[];
  let production: MinioStorage;
  const dependsOn = new Map<string, unknown>();
  // biome-ignore lint/suspicious/noExplicitAny: recorded inputs are untyped JSON
  const find = (type: string, name: string): any =>
    ofType(recorded, type).find((r) => r.name === name)?.plain;

  beforeAll(async () => {
    recorded = await startMockStack('production', providerOutputs);
    const { MinioStorage } = await import('./minio.js');
    const base: MinioStorageArgs = {
      namespace: 'data',
      stack: 'production',
      servers: 4,
      volumesPerServer: 4,
      storageGbPerVolume: 100,
      labels: { environment: 'production' },
    };
    const recordDependsOn: pulumi.ResourceTransformation = ({ name, opts }) => {
      dependsOn.set(name, opts.dependsOn);
      return undefined;
    };
    production = new MinioStorage('prod-minio', base, { transformations: [recordDependsOn] });
    new MinioStorage('stage-minio', {
      ...base,
      namespace: 'data-staging',
      stack: 'staging',
      servers: 1,
      storageGbPerVolume: 10,
      operatorNamespace: 'minio-operator',
      clientNamespace: 'aia-staging',
    });
    await pulumi.runtime.disconnect();
  });

  it('installs the pinned operator and tenant charts, the tenant after the operator and Secret', () => {
    const operator = find(RELEASE, 'prod-minio-operator');
    const tenant = find(RELEASE, 'prod-minio-tenant');
    for (const [release, chart, name] of [
      [operator, 'operator', 'minio-operator'],
      [tenant, 'tenant', 'minio-tenant'],
    ]) {
      expect(release).toMatchObject({
        name,
        chart,
        version: '7.1.1',
        repositoryOpts: { repo: 'https://operator.min.io' },
        namespace: 'data',
        skipAwait: false,
        atomic: true,
      });
    }
    expect(tenant.values.tenant.pools[0]).toMatchObject({ servers: 4, size: '100Gi' });
    const waits = dependsOn.get('prod-minio-tenant') as pulumi.Resource[];
    expect(waits).toHaveLength(2);
  });

  it('keeps generated root credentials in a Secret, in the env-file form the tenant reads', async () => {
    const secret = ofType(recorded, SECRET).find((r) => r.name === 'prod-minio-root-credentials');
    expect(holdsSecret(secret?.inputs.stringData)).toBe(true);
    const user = secretPlaceholder('prod-minio-root-user');
    const password = secretPlaceholder('prod-minio-root-password');
    expect(secret?.plain.stringData).toEqual({
      'config.env': `export MINIO_ROOT_USER="${user}"\nexport MINIO_ROOT_PASSWORD="${password}"\n`,
      MINIO_ROOT_USER: user,
      MINIO_ROOT_PASSWORD: password,
    });
    expect(() => new Secret(secret?.plain as never).validate()).not.toThrow();
    expect(find(RELEASE, 'prod-minio-tenant').values.tenant.configSecret.name).toBe(
      await resolve(production.credentialsSecretName),
    );
  });

  it('opens S3 to the client namespace and the upgrade port to the tenant, in valid policies', () => {
    const s3 = find(POLICY, 'prod-minio-s3');
    const upgrades = find(POLICY, 'prod-minio-operator-upgrades');
    for (const policy of [s3, upgrades]) {
      expect(() => new NetworkPolicy(policy).validate()).not.toThrow();
    }
    expect(s3.spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 9000 }]);
    expect(s3.metadata.labels).toMatchObject({ environment: 'production' });
    const staging = find(POLICY, 'stage-minio-s3');
    expect(staging.spec.ingress[0].from[0].namespaceSelector.matchLabels).toEqual({
      'kubernetes.io/metadata.name': 'aia-staging',
    });
    expect(find(POLICY, 'stage-minio-operator-upgrades').metadata.namespace).toBe('minio-operator');
    expect(find(RELEASE, 'stage-minio-operator').namespace).toBe('minio-operator');
  });

  it('sizes staging as one server with its own resources', () => {
    const pool = find(RELEASE, 'stage-minio-tenant').values.tenant.pools[0];
    expect(pool).toMatchObject({ servers: 1, volumesPerServer: 4, size: '10Gi' });
    expect(pool.resources.limits.memory).toBe('2Gi');
    expect(find(RELEASE, 'stage-minio-operator').values.operator.replicaCount).toBe(1);
  });

  it('outputs the TLS endpoint, the Secret name and the buckets', async () => {
    expect(await resolve(production.endpoint)).toBe('https://minio.data.svc.cluster.local');
    expect(await resolve(production.credentialsSecretName)).toBe('minio-root-credentials');
    expect(await resolve(production.buckets)).toEqual(['structured-reports', 'backups']);
  });

  it('passes every policy of the pack', async () => {
    const resources = plannedFromRecorded(recorded);
    expect(resources.filter((r) => r.type.startsWith('kubernetes:'))).toHaveLength(10);
    expect(await packViolations(resources)).toEqual([]);
  });
});
