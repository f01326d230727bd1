import {
  type ContainerResources,
  MINIO_BUCKETS,
  MINIO_IMAGE,
  MINIO_UID,
  minioLabels,
  type PoolShape,
  TENANT_NAME,
  TENANT_POD_SELECTOR,
  validatePool,
} from './settings.js';

const nonRoot = { runAsNonRoot: true, runAsUser: MINIO_UID, runAsGroup: MINIO_UID };
const podSecurity = {
  ...nonRoot,
  fsGroup: MINIO_UID,
  fsGroupChangePolicy: 'OnRootMismatch',
  seccompProfile: { type: 'RuntimeDefault' },
};
const containerSecurity = {
  ...nonRoot,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

/**
 * Values for the `operator` chart: two replicas in production (leader election), read-only root
 * filesystem with /tmp in an emptyDir (where it keeps TLS material and upgrade binaries), STS off
 * since nothing here asks it for credentials, requests and limits on every resource.
 */
export function operatorValues(stack: 'staging' | 'production'): Record<string, unknown> {
  return {
    operator: {
      replicaCount: stack === 'production' ? 2 : 1,
      env: [{ name: 'OPERATOR_STS_ENABLED', value: 'off' }],
      // Only the label the chart does not set itself: a duplicate key would fail the render.
      additionalLabels: { 'app.kubernetes.io/part-of': 'aia-platform' },
      securityContext: podSecurity,
      containerSecurityContext: { ...containerSecurity, readOnlyRootFilesystem: true },
      volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '1Gi' } }],
      volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
      resources: {
        requests: { cpu: '200m', memory: '256Mi', 'ephemeral-storage': '500Mi' },
        limits: { cpu: '500m', memory: '512Mi', 'ephemeral-storage': '1Gi' },
      },
    },
  };
}

export interface TenantValuesArgs extends PoolShape {
  /** Secret holding `config.env` with the root credentials. */
  readonly credentialsSecretName: string;
  readonly resources: ContainerResources;
  readonly storageClass: string;
  /** Extra labels for the tenant's pods, under the standard app.kubernetes.io set. */
  readonly labels?: Record<string, string>;
}

/** Spread pods over zones and nodes where the scheduler can, never blocking a rollout on it. */
const spread = ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map((topologyKey) => ({
  maxSkew: 1,
  topologyKey,
  whenUnsatisfiable: 'ScheduleAnyway',
  labelSelector: { matchLabels: { ...TENANT_POD_SELECTOR } },
}));

/**
 * Values for the `tenant` chart: one pool of the given shape, TLS from certificates the operator
 * requests from the cluster (`requestAutoCert`), root credentials from an existing Secret (the
 * chart's own would carry them in plain values), the buckets created, nothing exposed outside the
 * cluster, the web console off, non-root pods.
 */
export function tenantValues(args: TenantValuesArgs): Record<string, unknown> {
  validatePool(args);
  return {
    tenant: {
      name: TENANT_NAME,
      image: { ...MINIO_IMAGE, pullPolicy: 'IfNotPresent' },
      configSecret: {
        name: args.credentialsSecretName,
        existingSecret: true,
        accessKey: '',
        secretKey: '',
      },
      poolsMetadata: { labels: { ...args.labels, ...minioLabels('tenant') }, annotations: {} },
      pools: [
        {
          name: 'pool-0',
          servers: args.servers,
          volumesPerServer: args.volumesPerServer,
          size: `${args.storageGbPerVolume}Gi`,
          storageClassName: args.storageClass,
          resources: args.resources,
          securityContext: podSecurity,
          containerSecurityContext: containerSecurity,
          topologySpreadConstraints: spread,
        },
      ],
      certificate: { requestAutoCert: true, externalCaCertSecret: [], externalCertSecret: [] },
      features: { bucketDNS: false, enableSFTP: false },
      buckets: Object.keys(MINIO_BUCKETS).map((name) => ({ name })),
      exposeServices: { minio: false, console: false },
      // Cluster metrics without a bearer token: reachable only from the namespaces the policy allows.
      env: [
        { name: 'MINIO_BROWSER', value: 'off' },
        { name: 'MINIO_PROMETHEUS_AUTH_TYPE', value: 'public' },
      ],
      metrics: { enabled: false },
      prometheusOperator: false,
    },
    ingress: { api: { enabled: false }, console: { enabled: false } },
  };
}
