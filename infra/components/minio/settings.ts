/** Both charts come from the operator's repository and share its version. */
export const MINIO_CHART_REPO = 'https://operator.min.io';
export const MINIO_OPERATOR_CHART = { chart: 'operator', version: '7.1.1' } as const;
export const MINIO_TENANT_CHART = { chart: 'tenant', version: '7.1.1' } as const;
/** The MinIO server release the tenant chart 7.1.1 ships with, pinned here rather than inherited. */
export const MINIO_IMAGE = {
  repository: 'quay.io/minio/minio',
  tag: 'RELEASE.2025-04-08T15-41-24Z',
} as const;

/** Helm release names; the operator chart names its Deployment `minio-operator` regardless. */
export const OPERATOR_RELEASE = 'minio-operator';
export const TENANT_RELEASE = 'minio-tenant';
/** Tenant name: pods are `minio-pool-0-<n>`; the operator always names the S3 Service `minio`. */
export const TENANT_NAME = 'minio';
/** The S3 API port on the pods (the `minio` Service publishes it on 443 with TLS). */
export const S3_PORT = 9000;
/** Where the operator serves MinIO binaries to tenant pods during an in-place upgrade. */
export const OPERATOR_UPGRADE_PORT = 4221;
/** UID and GID the MinIO and operator images run as. */
export const MINIO_UID = 1000;

/** Buckets the tenant creates, keyed by name so adding one changes no other. */
export const MINIO_BUCKETS: Readonly<Record<string, { readonly purpose: string }>> = {
  'structured-reports': { purpose: 'structured reports produced by the services' },
  backups: { purpose: 'application-level backups' },
};

/** Label the operator puts on every pod of a tenant. */
export const TENANT_POD_SELECTOR = { 'v1.min.io/tenant': TENANT_NAME } as const;
/** Labels of the operator's pods (the chart's selector labels). */
export const OPERATOR_POD_SELECTOR = {
  'app.kubernetes.io/name': 'operator',
  'app.kubernetes.io/instance': OPERATOR_RELEASE,
} as const;

export interface ContainerResources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/** Per MinIO server pod; production holds more objects in flight and caches more metadata. */
export const DEFAULT_SERVER_RESOURCES: Readonly<
  Record<'staging' | 'production', ContainerResources>
> = {
  staging: { requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } },
  production: { requests: { cpu: '1', memory: '4Gi' }, limits: { cpu: '2', memory: '8Gi' } },
};

export interface PoolShape {
  readonly servers: number;
  readonly volumesPerServer: number;
  readonly storageGbPerVolume: number;
}

/**
 * Throws, saying why, when the operator would refuse the pool: erasure coding needs at least
 * four drives across two or three servers.
 */
export function validatePool({ servers, volumesPerServer, storageGbPerVolume }: PoolShape): void {
  for (const [field, value] of Object.entries({ servers, volumesPerServer, storageGbPerVolume })) {
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`MinIO ${field} must be a whole number, 1 or more: got ${value}`);
    }
  }
  if ((servers === 2 || servers === 3) && servers * volumesPerServer < 4) {
    throw new Error(
      `MinIO pool of ${servers} servers × ${volumesPerServer} volumes has fewer than the 4 drives erasure coding needs across several servers: add volumes per server`,
    );
  }
}

/** The labels every object of the object store carries. */
export const minioLabels = (component: 'tenant' | 'operator'): Record<string, string> => ({
  'app.kubernetes.io/name': 'minio',
  'app.kubernetes.io/component': component,
  'app.kubernetes.io/part-of': 'aia-platform',
  'app.kubernetes.io/managed-by': 'pulumi',
});

/** The tenant's `config.env`: the env-file the operator reads root credentials from. */
export const minioConfigEnv = (user: string, password: string): string =>
  `export MINIO_ROOT_USER="${user}"\nexport MINIO_ROOT_PASSWORD="${password}"\n`;

/** The MinIO container's port name on the tenant's pods (operator 7.1.1, `MinIOPortName`). */
export const MINIO_CONTAINER_PORT_NAME = 'minio-port';

/**
 * PodMonitor for the tenant's cluster metrics (`/minio/v2/metrics/cluster`, TLS, public auth).
 * A PodMonitor, not a ServiceMonitor: operator 7.1.1 labels the tenant's pods
 * (`v1.min.io/tenant`) but leaves its `minio` and `-hl` Services without labels, so no
 * ServiceMonitor selector can find them.
 */
export function minioPodMonitor(namespace: string, release: string) {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: { name: `${TENANT_NAME}-cluster`, namespace, labels: { release } },
    spec: {
      selector: { matchLabels: { ...TENANT_POD_SELECTOR } },
      podMetricsEndpoints: [
        {
          port: MINIO_CONTAINER_PORT_NAME,
          scheme: 'https',
          path: '/minio/v2/metrics/cluster',
          // The operator's certificates are signed by the cluster CA, which Prometheus does not mount.
          tlsConfig: { insecureSkipVerify: true },
          interval: '60s',
        },
      ],
    },
  };
}
