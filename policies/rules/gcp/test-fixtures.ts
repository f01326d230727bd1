import { planned } from '../../../test/harness/policy-fixtures.js';

/*
 * Compliant resources for the GCP rule tests, shaped like the production plan
 * (`npm run plan -- --stack production --json`): same types, names and input layout.
 */

const labels = (service = 'platform') => ({
  environment: 'production',
  'managed-by': 'pulumi',
  owner: 'platform',
  service,
});

const nodeServiceAccount = 'aia-production-nodes@aia-platform-production.iam.gserviceaccount.com';

const shieldedNodeConfig = {
  imageType: 'COS_CONTAINERD',
  metadata: { 'disable-legacy-endpoints': 'true' },
  oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'],
  resourceLabels: labels(),
  serviceAccount: nodeServiceAccount,
  shieldedInstanceConfig: { enableIntegrityMonitoring: true, enableSecureBoot: true },
  tags: ['gke-node'],
  workloadMetadataConfig: { mode: 'GKE_METADATA' },
};

const sqlSettings = {
  availabilityType: 'REGIONAL',
  backupConfiguration: {
    backupRetentionSettings: { retainedBackups: 30, retentionUnit: 'COUNT' },
    enabled: true,
    pointInTimeRecoveryEnabled: true,
    startTime: '00:00',
    transactionLogRetentionDays: 7,
  },
  deletionProtectionEnabled: true,
  diskType: 'PD_SSD',
  edition: 'ENTERPRISE',
  ipConfiguration: {
    enablePrivatePathForGoogleCloudServices: false,
    ipv4Enabled: false,
    privateNetwork: 'aia-production-vpc-id',
    sslMode: 'ENCRYPTED_ONLY',
  },
  tier: 'db-custom-8-30720',
  userLabels: labels(),
};

export const sqlPrimary = () =>
  planned('gcp:sql/databaseInstance:DatabaseInstance', 'aia-production-primary', {
    databaseVersion: 'POSTGRES_15',
    deletionProtection: true,
    name: 'aia-production-postgres',
    project: 'aia-platform-production',
    region: 'us-central1',
    settings: sqlSettings,
  });

export const sqlReplica = () =>
  planned('gcp:sql/databaseInstance:DatabaseInstance', 'aia-production-replica', {
    databaseVersion: 'POSTGRES_15',
    deletionProtection: true,
    instanceType: 'READ_REPLICA_INSTANCE',
    masterInstanceName: 'aia-production-postgres',
    name: 'aia-production-postgres-replica',
    project: 'aia-platform-production',
    region: 'us-central1',
    settings: {
      ...sqlSettings,
      availabilityType: 'ZONAL',
      backupConfiguration: { enabled: false },
    },
  });

/** The cross-region replica `cloudSql.disasterRecovery` adds. */
export const sqlDisasterRecoveryReplica = () =>
  planned('gcp:sql/databaseInstance:DatabaseInstance', 'aia-production-dr-replica', {
    ...sqlReplica().inputs,
    name: 'aia-production-postgres-dr-us-east1',
    region: 'us-east1',
  });

export const redis = () =>
  planned('gcp:redis/instance:Instance', 'aia-production-instance', {
    authEnabled: true,
    authorizedNetwork: 'aia-production-vpc-id',
    connectMode: 'PRIVATE_SERVICE_ACCESS',
    labels: labels(),
    memorySizeGb: 5,
    name: 'aia-production-redis',
    redisVersion: 'REDIS_7_2',
    region: 'us-central1',
    replicaCount: 1,
    tier: 'STANDARD_HA',
    transitEncryptionMode: 'SERVER_AUTHENTICATION',
  });

export const cluster = () =>
  planned('gcp:container/cluster:Cluster', 'aia-production-cluster', {
    enableLegacyAbac: false,
    enableShieldedNodes: true,
    location: 'us-central1',
    masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
    controlPlaneEndpointsConfig: {
      dnsEndpointConfig: {
        allowExternalTraffic: true,
        enableK8sCertsViaDns: false,
        enableK8sTokensViaDns: false,
      },
      ipEndpointsConfig: { enabled: true },
    },
    masterAuthorizedNetworksConfig: {
      cidrBlocks: [{ cidrBlock: '10.40.0.0/20', displayName: 'nodes' }],
      gcpPublicCidrsAccessEnabled: false,
    },
    name: 'aia-production-cluster',
    nodeConfig: shieldedNodeConfig,
    privateClusterConfig: {
      enablePrivateEndpoint: true,
      enablePrivateNodes: true,
      masterIpv4CidrBlock: '172.16.0.16/28',
    },
    project: 'aia-platform-production',
    releaseChannel: { channel: 'STABLE' },
    removeDefaultNodePool: true,
    resourceLabels: labels(),
    securityPostureConfig: { mode: 'BASIC', vulnerabilityMode: 'VULNERABILITY_DISABLED' },
    workloadIdentityConfig: { workloadPool: 'aia-platform-production.svc.id.goog' },
  });

export const nodePool = () =>
  planned('gcp:container/nodePool:NodePool', 'aia-production-general', {
    autoscaling: { maxNodeCount: 6, minNodeCount: 1 },
    cluster: 'aia-production-cluster',
    location: 'us-central1',
    management: { autoRepair: true, autoUpgrade: true },
    name: 'general',
    nodeConfig: { ...shieldedNodeConfig, labels: { 'node-pool': 'general' } },
    project: 'aia-platform-production',
  });

const firewall = (name: string, inputs: Record<string, unknown>) =>
  planned('gcp:compute/firewall:Firewall', name, {
    direction: 'INGRESS',
    name,
    network: 'aia-production-vpc-id',
    priority: 1000,
    ...inputs,
  });

export const healthCheckFirewall = () =>
  firewall('aia-production-allow-health-checks', {
    allows: [{ ports: ['8000-8099'], protocol: 'tcp' }],
    sourceRanges: ['35.191.0.0/16', '130.211.0.0/22'],
    targetTags: ['gke-node'],
  });

export const denyAllFirewall = () =>
  firewall('aia-production-deny-all-ingress', {
    denies: [{ protocol: 'all' }],
    priority: 65534,
    sourceRanges: ['0.0.0.0/0'],
  });

/** Not in the plan yet: the shape a rule for a public load balancer would take. */
export const webFirewall = () =>
  firewall('aia-production-allow-web', {
    allows: [{ ports: ['80', '443'], protocol: 'tcp' }],
    sourceRanges: ['0.0.0.0/0'],
    targetTags: ['gke-node'],
  });

export const globalAddress = () =>
  planned('gcp:compute/globalAddress:GlobalAddress', 'aia-production-private-services', {
    address: '10.60.0.0',
    addressType: 'INTERNAL',
    labels: labels(),
    name: 'aia-production-private-services',
    prefixLength: 16,
    purpose: 'VPC_PEERING',
  });

export const secret = () =>
  planned('gcp:secretmanager/secret:Secret', 'aia-production-redis-url-secret', {
    deletionProtection: true,
    labels: labels(),
    project: 'aia-platform-production',
    replication: { auto: {} },
    secretId: 'aia-production-redis-url',
  });

/** No bucket exists yet: a backup bucket as the platform would declare one. */
export const backupBucket = () =>
  planned('gcp:storage/bucket:Bucket', 'aia-production-backups', {
    labels: { ...labels(), purpose: 'backup' },
    location: 'NAM4',
    name: 'aia-production-db-exports',
    publicAccessPrevention: 'enforced',
    uniformBucketLevelAccess: true,
    versioning: { enabled: true },
  });
