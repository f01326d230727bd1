import { describe, expect, it } from 'vitest';
import { operatorNetworkPolicySpec, tenantNetworkPolicySpec } from './network-policy.js';
import { DEFAULT_SERVER_RESOURCES, minioConfigEnv, validatePool } from './settings.js';
import { operatorValues, tenantValues } from './values.js';

// biome-ignore lint/suspicious/noExplicitAny: chart values are untyped JSON
type Json = Record<string, any>;

const tenant = (shape = { servers: 4, volumesPerServer: 4, storageGbPerVolume: 100 }) =>
  tenantValues({
    ...shape,
    credentialsSecretName: 'minio-root-credentials',
    resources: DEFAULT_SERVER_RESOURCES.production,
    storageClass: 'standard-rwo',
    labels: { environment: 'production' },
  }).tenant as Json;

describe('validatePool', () => {
  it('accepts a single server and four or more servers of any volume count', () => {
    expect(() =>
      validatePool({ servers: 1, volumesPerServer: 4, storageGbPerVolume: 10 }),
    ).not.toThrow();
    expect(() =>
      validatePool({ servers: 1, volumesPerServer: 1, storageGbPerVolume: 10 }),
    ).not.toThrow();
    expect(() =>
      validatePool({ servers: 4, volumesPerServer: 1, storageGbPerVolume: 10 }),
    ).not.toThrow();
    expect(() =>
      validatePool({ servers: 2, volumesPerServer: 2, storageGbPerVolume: 10 }),
    ).not.toThrow();
  });

  it('refuses what erasure coding cannot spread, saying why', () => {
    expect(() => validatePool({ servers: 3, volumesPerServer: 1, storageGbPerVolume: 10 })).toThrow(
      /pool of 3 servers × 1 volumes has fewer than the 4 drives erasure coding needs/,
    );
    expect(() => validatePool({ servers: 0, volumesPerServer: 4, storageGbPerVolume: 10 })).toThrow(
      /servers must be a whole number, 1 or more: got 0/,
    );
    expect(() =>
      validatePool({ servers: 4, volumesPerServer: 4, storageGbPerVolume: 2.5 }),
    ).toThrow(/storageGbPerVolume must be a whole number/);
  });
});

describe('tenantValues', () => {
  it('builds one pool of the requested shape on the given storage class', () => {
    expect(tenant().pools).toEqual([
      expect.objectContaining({
        name: 'pool-0',
        servers: 4,
        volumesPerServer: 4,
        size: '100Gi',
        storageClassName: 'standard-rwo',
        resources: DEFAULT_SERVER_RESOURCES.production,
      }),
    ]);
  });

  it('serves TLS with operator-requested certificates and exposes nothing outside', () => {
    const values = tenant();
    expect(values.certificate.requestAutoCert).toBe(true);
    expect(values.exposeServices).toEqual({ minio: false, console: false });
    expect(values.env).toContainEqual({ name: 'MINIO_BROWSER', value: 'off' });
  });

  it('takes root credentials from the existing Secret, never from values', () => {
    expect(tenant().configSecret).toEqual({
      name: 'minio-root-credentials',
      existingSecret: true,
      accessKey: '',
      secretKey: '',
    });
  });

  it('creates the structured-reports and backups buckets', () => {
    expect(tenant().buckets).toEqual([{ name: 'structured-reports' }, { name: 'backups' }]);
  });

  it('pins the MinIO image and runs the pods non-root with every capability dropped', () => {
    const values = tenant();
    expect(values.image.tag).toMatch(/^RELEASE\.\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z$/);
    const [pool] = values.pools;
    expect(pool.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(pool.containerSecurityContext).toMatchObject({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(values.poolsMetadata.labels).toMatchObject({
      environment: 'production',
      'app.kubernetes.io/part-of': 'aia-platform',
    });
  });

  it('refuses an invalid pool before building values', () => {
    expect(() => tenant({ servers: 2, volumesPerServer: 1, storageGbPerVolume: 10 })).toThrow(
      /erasure coding/,
    );
  });
});

describe('operatorValues', () => {
  it('runs two replicas in production and one on staging, hardened, with limits', () => {
    const production = operatorValues('production').operator as Json;
    expect(production.replicaCount).toBe(2);
    expect((operatorValues('staging').operator as Json).replicaCount).toBe(1);
    expect(production.containerSecurityContext).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(production.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(production.resources.limits).toMatchObject({ cpu: '500m', memory: '512Mi' });
    expect(production.env).toEqual([{ name: 'OPERATOR_STS_ENABLED', value: 'off' }]);
  });

  it('adds no label the chart already sets, which would make the render fail', () => {
    const labels = (operatorValues('production').operator as Json).additionalLabels;
    expect(Object.keys(labels)).not.toContain('app.kubernetes.io/name');
    expect(Object.keys(labels)).not.toContain('app.kubernetes.io/managed-by');
  });
});

describe('minioConfigEnv', () => {
  it('writes the env-file the operator reads root credentials from', () => {
    expect(minioConfigEnv('rootuser', 'secret123')).toBe(
      'export MINIO_ROOT_USER="rootuser"\nexport MINIO_ROOT_PASSWORD="secret123"\n',
    );
  });
});

describe('network policies', () => {
  it('opens the S3 port to the clients, the tenant itself, the operator and Prometheus only', () => {
    const spec = tenantNetworkPolicySpec({ clientNamespace: 'aia', operatorNamespace: 'data' });
    expect(spec.podSelector).toEqual({ matchLabels: { 'v1.min.io/tenant': 'minio' } });
    expect(spec.ingress).toEqual([
      {
        from: [
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'aia' } } },
          { podSelector: { matchLabels: { 'v1.min.io/tenant': 'minio' } } },
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'data' } },
            podSelector: {
              matchLabels: {
                'app.kubernetes.io/name': 'operator',
                'app.kubernetes.io/instance': 'minio-operator',
              },
            },
          },
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
        ],
        ports: [{ protocol: 'TCP', port: 9000 }],
      },
    ]);
  });

  it('opens the operator upgrade port to the tenant pods only', () => {
    expect(operatorNetworkPolicySpec('data').ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'data' } },
            podSelector: { matchLabels: { 'v1.min.io/tenant': 'minio' } },
          },
        ],
        ports: [{ protocol: 'TCP', port: 4221 }],
      },
    ]);
  });
});
