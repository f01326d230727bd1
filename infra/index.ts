import * as gcp from '@pulumi/gcp';
import type * as pulumi from '@pulumi/pulumi';
import { catalog, serviceDefinition, serviceNames } from '../services/catalog.js';
import { topics } from '../services/events/topics.js';
import { AlertmanagerSecrets, ObservabilityContent } from './components/alerting/index.js';
import {
  ImageRepository,
  parseArtifactRegistryImage,
} from './components/artifact-registry/index.js';
import {
  BinaryAuthorizationPolicy,
  chartImages,
  imageRepositoryOf,
} from './components/binary-authorization/index.js';
import {
  CloudSqlIamUsers,
  CloudSqlPostgres,
  iamGrantsScript,
} from './components/cloudsql/index.js';
import { GkeCluster } from './components/cluster/index.js';
import { DnsRecords } from './components/dns-records/index.js';
import {
  backendServiceAnnotations,
  edgeObjectName,
  IngressGateway,
} from './components/ingress/index.js';
import { KafkaCluster, kafkaExporterPodMonitor, STRIMZI_CHART } from './components/kafka/index.js';
import { ClusterSecretsKey } from './components/kms/index.js';
import { resourceLabels } from './components/labels.js';
import {
  MemorystoreRedis,
  REDIS_CA_CERT_FILE,
  REDIS_SERVER_CA,
  redisServerCaConfigMap,
} from './components/memorystore/index.js';
import { KUBE_PROMETHEUS_STACK, MonitoringStack } from './components/monitoring/index.js';
import { PlatformNamespaces } from './components/namespaces/index.js';
import {
  CLOUD_SDK_IMAGE,
  NEO4J_CHART,
  NEO4J_IMAGE,
  Neo4jDatabase,
} from './components/neo4j/index.js';
import { Network } from './components/network/index.js';
import { BUCKET_ROLES, ObjectStorage } from './components/object-storage/index.js';
import { PagerDutyRouting } from './components/pagerduty/index.js';
import {
  OPTIONAL_APIS,
  ProjectServices,
  REQUIRED_APIS,
} from './components/project-services/index.js';
import { PlatformSecrets } from './components/secrets/index.js';
import {
  renderEnvironment,
  ServiceDeployment,
  serviceAccountId,
} from './components/service-deployment/index.js';
import { REGIONAL_PD_CLASS, regionalPdClass } from './components/storage-classes/index.js';
import { TokenIssuerKey } from './components/token-issuer/index.js';
import {
  JAEGER,
  jaegerQueryUrl,
  OTEL_COLLECTOR,
  TracingStack,
} from './components/tracing/index.js';
import { imageReference, loadStackConfig, SECRET_KEYS, type SecretKey } from './config.js';
import { namespaceEgress } from './namespace-egress.js';
import { withPagerDutyUserIds } from './pagerduty-people.js';
import { serviceEnvironments } from './service-environments.js';

const { config, secrets, receiverSecrets } = loadStackConfig();
// People on call are named by email; PagerDuty's user lookup resolves them now, so an unknown
// address fails the preview naming its key before anything is created.
const pagerdutySettings =
  config.alerting.pagerduty &&
  (await withPagerDutyUserIds(config.stack, config.alerting.pagerduty));
/** Every resource name starts with this, so names are deterministic per stack. */
const prefix = `aia-${config.stack}`;
const labels = resourceLabels({ environment: config.stack });
/** Every component waits for the Google APIs it calls. */
const apis = new ProjectServices(prefix, {
  project: config.project,
  apis: { ...REQUIRED_APIS, ...(config.dnsZone ? { dns: OPTIONAL_APIS.dns } : {}) },
});
const afterApis = { dependsOn: [apis] };

// The repository the services' image is pushed to, when it is Artifact Registry in this project
// (a registry elsewhere is its owner's to create). It waits for its own API only, so the first
// deploy can create it alone and push the image before the rest (README, First deploy).
const image = parseArtifactRegistryImage(config.imageRepository);
const imageRepository =
  image?.project === config.project
    ? new ImageRepository(
        prefix,
        { image, deletionProtection: config.cluster.deletionProtection, labels },
        { dependsOn: [apis.byApi[REQUIRED_APIS.artifactregistry] as pulumi.Resource] },
      )
    : undefined;

// The project's Binary Authorization policy: a cluster that enforces it admits our own
// repository and the pinned charts' images only (a project without a policy admits anything).
new BinaryAuthorizationPolicy(
  `${prefix}-binauthz`,
  {
    project: config.project,
    ownRepository: image
      ? `${image.location}-docker.pkg.dev/${image.project}/${image.repositoryId}`
      : imageRepositoryOf(config.imageRepository),
    thirdPartyRepositories: [
      ...chartImages([KUBE_PROMETHEUS_STACK, STRIMZI_CHART, OTEL_COLLECTOR, JAEGER, NEO4J_CHART]),
      // Images the program runs itself, outside any chart.
      NEO4J_IMAGE,
      CLOUD_SDK_IMAGE,
    ],
  },
  afterApis,
);

const vpc = new Network(
  prefix,
  {
    project: config.project,
    region: config.region,
    subnetCidr: config.network.subnetCidr,
    podsCidr: config.network.podsCidr,
    servicesCidr: config.network.servicesCidr,
    masterCidr: config.network.masterCidr,
    privateServicesCidr: config.network.privateServicesCidr,
    labels,
  },
  afterApis,
);

// Kubernetes Secrets are encrypted in etcd with this Cloud KMS key (application-layer secrets
// encryption); the cluster waits for GKE's service agent to be granted on it.
const secretsKey = new ClusterSecretsKey(
  `${prefix}-secrets-key`,
  {
    project: config.project,
    region: config.region,
    prefix,
    projectNumber: gcp.organizations.getProjectOutput({ projectId: config.project }).number,
    labels,
  },
  afterApis,
);

const gke = new GkeCluster(
  prefix,
  {
    project: config.project,
    region: config.region,
    zones: config.zones,
    regional: config.cluster.regional,
    network: vpc.networkId,
    subnetwork: vpc.subnetwork.id,
    podsRangeName: vpc.podsRangeName,
    servicesRangeName: vpc.servicesRangeName,
    masterCidr: config.network.masterCidr,
    masterAuthorizedNetworks: config.network.masterAuthorizedNetworks,
    releaseChannel: config.cluster.releaseChannel,
    binaryAuthorization: config.cluster.binaryAuthorization,
    secretsEncryptionKey: secretsKey.keyName,
    deletionProtection: config.cluster.deletionProtection,
    nodePools: config.cluster.nodePools,
    nodeTag: vpc.nodeTag,
    labels,
  },
  afterApis,
);

/** One database and one user per service that keeps data in PostgreSQL. */
const databaseOwners = serviceNames.filter((name) =>
  serviceDefinition(name).dataStores.includes('postgres'),
);
const serviceDatabases = Object.fromEntries(
  databaseOwners.map((name) => [
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
    databases: serviceDatabases,
    labels,
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
    labels,
  },
  afterApis,
);

// Structured reports on Cloud Storage, reached over the S3 API (docs/object-storage.md). MinIO,
// which held them before, was archived upstream: no releases, no security fixes.
const objectStore = new ObjectStorage(
  `${prefix}-objects`,
  {
    project: config.project,
    region: config.region,
    prefix,
    buckets: { reports: { retentionDays: config.objectStorage.reportsRetentionDays } },
    labels: resourceLabels({ environment: config.stack, service: 'object-storage' }),
    kmsKeyName: config.objectStorage.kmsKeyName,
    deletionProtection: config.cluster.deletionProtection,
  },
  afterApis,
);

// The one token issuer's key: its private half reaches the gateway only, its public key set
// every service.
const tokenIssuer = new TokenIssuerKey(
  prefix,
  secrets.jwtSigningKey ? { signingKey: secrets.jwtSigningKey } : {},
);

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

// Workloads on the cluster: every Kubernetes object goes through the cluster's provider.
const onCluster = { providers: { kubernetes: gke.provider } };
// Every namespace denies egress by default; these are the destinations each may reach.
const egress = namespaceEgress({
  namespaces: { data: 'data', kafka: 'kafka', monitoring: 'monitoring' },
  privateServicesCidr: config.network.privateServicesCidr,
  masterCidr: config.network.masterCidr,
  subnetCidr: config.network.subnetCidr,
});
const namespaces = new PlatformNamespaces(
  prefix,
  {
    namespaces: {
      services: { name: config.services.namespace, egress: egress.services },
      data: { name: 'data', podSecurity: 'baseline', egress: egress.data },
      kafka: { name: 'kafka', podSecurity: 'baseline', egress: egress.kafka },
      monitoring: { name: 'monitoring', podSecurity: 'baseline', egress: egress.monitoring },
      ingress: { name: 'ingress', egress: egress.ingress },
    },
  },
  onCluster,
);

const workloads = config.workloads;
// Single-replica stateful workloads (Neo4j, Jaeger's store) on regional persistent disks where
// the cluster is regional, so a zone outage does not take their data with it. A zonal cluster
// (staging) keeps the zonal default.
const singleReplicaVolumes = config.cluster.regional
  ? regionalPdClass(
      prefix,
      { zones: config.zones, labels: resourceLabels({ environment: config.stack }) },
      { provider: gke.provider },
    )
  : undefined;
const singleReplicaStorageClass = singleReplicaVolumes && REGIONAL_PD_CLASS;
const neo4j = new Neo4jDatabase(
  `${prefix}-neo4j`,
  {
    project: config.project,
    region: config.region,
    namespace: namespaces.names.data as pulumi.Output<string>,
    stack: config.stack,
    ...workloads.neo4j,
    labels: resourceLabels({ environment: config.stack, service: 'neo4j' }),
    workloadIdentityPool: gke.workloadIdentityPool,
    prefix,
    clientNamespace: config.services.namespace,
    // Backups live as long as the cluster holding the data: staging's go with `pulumi destroy`.
    deletionProtection: config.cluster.deletionProtection,
    storageClass: singleReplicaStorageClass,
    kmsKeyName: config.objectStorage.kmsKeyName,
  },
  { ...onCluster, dependsOn: singleReplicaVolumes ? [singleReplicaVolumes] : [] },
);
const kafka = new KafkaCluster(
  `${prefix}-kafka`,
  {
    namespace: namespaces.names.kafka as pulumi.Output<string>,
    stack: config.stack,
    ...workloads.kafka,
    labels: resourceLabels({ environment: config.stack, service: 'kafka' }),
    topics,
    clientNamespace: config.services.namespace,
  },
  onCluster,
);

// Alerting: PagerDuty areas and their Events API v2 keys (on a stack with PagerDuty), then
// Alertmanager's configuration and credentials as Secrets the monitoring stack mounts.
const pagerduty =
  pagerdutySettings &&
  new PagerDutyRouting(`${prefix}-pagerduty`, {
    stack: config.stack,
    areas: pagerdutySettings.areas,
    schedules: pagerdutySettings.schedules,
    escalation: pagerdutySettings.escalation,
    labels: resourceLabels({ environment: config.stack, service: 'alerting' }),
  });
const alertmanagerSecrets = new AlertmanagerSecrets(
  `${prefix}-alertmanager`,
  {
    namespace: namespaces.names.monitoring as pulumi.Output<string>,
    routing: {
      stack: config.stack,
      slackChannels: config.alerting.slackChannels,
      emailTo: config.alerting.emailTo,
      smtp: config.alerting.smtp,
      deadMansSwitchUrl: config.alerting.deadMansSwitchUrl,
      areas: pagerdutySettings?.areas ?? {},
    },
    pagerduty: pagerduty && { keys: pagerduty.integrationKeys, defaultArea: 'platform' },
    slackWebhookUrl: receiverSecrets.slackWebhookUrl,
    smtpPassword: receiverSecrets.smtpPassword,
  },
  onCluster,
);
const monitoring = new MonitoringStack(
  `${prefix}-monitoring`,
  {
    namespace: namespaces.names.monitoring as pulumi.Output<string>,
    stack: config.stack,
    retention: workloads.monitoring.retention,
    prometheusStorageGb: workloads.monitoring.prometheusStorageGb,
    alertmanagerReplicas: workloads.monitoring.alertmanagerReplicas,
    grafanaHost: config.grafanaDomain,
    grafanaServiceAnnotations: backendServiceAnnotations(edgeObjectName('grafana')),
    tracingQueryUrl: jaegerQueryUrl('monitoring'),
    alertmanagerConfig: {
      secretName: alertmanagerSecrets.configSecretName,
      mountedSecrets: alertmanagerSecrets.mountedSecrets,
    },
    labels: resourceLabels({ environment: config.stack, service: 'monitoring' }),
  },
  { ...onCluster, dependsOn: [alertmanagerSecrets] },
);
new ObservabilityContent(
  `${prefix}-observability`,
  {
    stack: config.stack,
    namespace: namespaces.names.monitoring as pulumi.Output<string>,
    releaseName: KUBE_PROMETHEUS_STACK.releaseName,
    monitors: [kafkaExporterPodMonitor('aia', 'kafka', KUBE_PROMETHEUS_STACK.releaseName)],
  },
  { ...onCluster, dependsOn: [monitoring.release] },
);
const tracing = new TracingStack(
  `${prefix}-tracing`,
  {
    namespace: namespaces.names.monitoring as pulumi.Output<string>,
    stack: config.stack,
    labels: resourceLabels({ environment: config.stack, service: 'tracing' }),
    otlpClientNamespaces: [config.services.namespace],
    prometheusOperator: monitoring.release,
    storageClass: singleReplicaStorageClass,
  },
  { ...onCluster, dependsOn: singleReplicaVolumes ? [singleReplicaVolumes] : [] },
);

// Memorystore's TLS certificate is signed by a CA of its own: every service that uses Redis
// gets it as a read-only file, named by REDIS_CA_CERT_FILE.
const redisServerCa = redisServerCaConfigMap(
  prefix,
  {
    namespace: namespaces.names.services as pulumi.Output<string>,
    certificates: memorystore.serverCaCertificates,
  },
  { provider: gke.provider },
);
const redisCaFiles = {
  volume: 'redis-server-ca',
  configMap: redisServerCa.configMap.metadata.name,
  mountPath: REDIS_SERVER_CA.mountPath,
  checksum: redisServerCa.checksum,
};

const secretValue = (env: string) => {
  const value = platformSecrets.values[env];
  if (!value) throw new Error(`platform secret ${env} is missing`);
  return value;
};
/** A service's IAM database user: its Workload Identity service account email, less `.gserviceaccount.com`. */
const iamUserOf = (name: string) => `${serviceAccountId(name, config.stack)}@${config.project}.iam`;
const environments = serviceEnvironments({
  stack: config.stack,
  namespace: config.services.namespace,
  revision: config.imageTag,
  jwtSigningKey: secretValue('JWT_SIGNING_KEY'),
  jwtPublicKeys: tokenIssuer.publicKeys,
  encryptionKey: secretValue('ENCRYPTION_KEY'),
  treasuryPrivateKey: secretValue('TREASURY_PRIVATE_KEY'),
  redisUrl: memorystore.redisUrl,
  redisCaCertFile: REDIS_CA_CERT_FILE,
  cloudSql: {
    instanceConnectionName: postgres.connectionName,
    databases: Object.fromEntries(
      Object.entries(postgres.databases).map(([name, db]) => [
        name,
        { database: db.database, iamUser: iamUserOf(name) },
      ]),
    ),
  },
  llmKeys: Object.fromEntries(
    Object.entries(platformSecrets.values).filter(([env]) =>
      Object.values(SECRET_KEYS).some((key) => key.env === env && !key.generated),
    ),
  ),
  neo4j: { uri: neo4j.boltUri, password: neo4j.password },
  tracing: {
    endpoint: tracing.otlpEndpoint,
    samplingRatio: workloads.monitoring.traceSamplingRatio,
  },
  shutdownTimeoutMs: 10_000,
  tokens: config.tokens,
  objectStorage: { endpoint: objectStore.endpoint, buckets: objectStore.buckets },
});

const deployments = Object.fromEntries(
  serviceNames.map((name) => {
    const definition = serviceDefinition(name);
    const images: Record<string, string> =
      name === 'aia-api'
        ? {
            blue: imageReference({
              ...config,
              imageTag: config.services.colorImageTags.blue ?? config.imageTag,
            }),
            green: imageReference({
              ...config,
              imageTag: config.services.colorImageTags.green ?? config.imageTag,
            }),
          }
        : { default: imageReference(config) };
    const bucket = definition.objectStorage;
    return [
      name,
      new ServiceDeployment(
        `${prefix}-${name}`,
        {
          project: config.project,
          stack: config.stack,
          namespace: namespaces.names.services as pulumi.Output<string>,
          definition,
          environment: renderEnvironment(name, definition.env, environments[name] as never),
          images,
          activeColor: config.services.activeColor,
          migrate: definition.migrations,
          public: name === 'aia-api',
          serviceAnnotations:
            name === 'aia-api' ? backendServiceAnnotations(edgeObjectName('api')) : undefined,
          prometheusRelease: monitoring.releaseName,
          readableSecrets: {
            'redis-url': memorystore.redisUrlSecretId,
          },
          shutdownTimeoutSeconds: 10,
          labels: resourceLabels({ environment: config.stack, service: name }),
          files: definition.dataStores.includes('redis') ? [redisCaFiles] : [],
          bucket: bucket && {
            name: objectStore.buckets[bucket.bucket],
            role: BUCKET_ROLES[bucket.access],
          },
        },
        onCluster,
      ),
    ];
  }),
);

// Each service logs in to Cloud SQL as its own service account; the grants inside PostgreSQL
// come from the `cloudSqlGrants` output, run once per stack (docs/cloudsql-iam.md).
const databaseIdentities = new CloudSqlIamUsers(
  `${prefix}-sql-iam`,
  {
    project: config.project,
    instance: postgres.instanceName,
    serviceAccounts: Object.fromEntries(
      Object.keys(postgres.databases).map((name) => [
        name,
        (deployments[name] as ServiceDeployment).googleServiceAccountEmail,
      ]),
    ),
  },
  afterApis,
);

const gateway = new IngressGateway(
  `${prefix}-gateway`,
  {
    project: config.project,
    stack: config.stack,
    domain: config.domain,
    grafanaHost: config.grafanaDomain,
    apiService: {
      name: 'aia-api',
      port: catalog['aia-api'].port,
      namespace: config.services.namespace,
    },
    grafanaService: monitoring.grafanaService,
    grafanaAccess: config.grafanaAccess,
    rateLimitPerMinute: config.services.rateLimitPerMinute,
    labels: resourceLabels({ environment: config.stack, service: 'aia-api' }),
  },
  { ...onCluster, dependsOn: [deployments['aia-api'] as pulumi.Resource] },
);

// The public names, when the stack's DNS zone is in Cloud DNS: the records follow the addresses.
if (config.dnsZone) {
  new DnsRecords(
    `${prefix}-dns`,
    {
      project: config.project,
      managedZone: config.dnsZone,
      records: {
        api: { host: config.domain, address: gateway.ipAddress },
        grafana: { host: config.grafanaDomain, address: gateway.grafanaIpAddress },
      },
    },
    afterApis,
  );
}

// Stack outputs: the contract in ./outputs.ts (stackOutputsSchema).
export const stack = config.stack;
export const project = config.project;
export const region = config.region;
export const network = { id: vpc.networkId, subnetwork: vpc.subnetwork.id };
export const cluster = {
  name: gke.name,
  location: gke.location,
  endpoint: gke.endpoint,
  dnsEndpoint: gke.dnsEndpoint,
  workloadIdentityPool: gke.workloadIdentityPool,
};
export const kubeconfig = gke.kubeconfig;
export const imageRepositoryUrl = imageRepository?.url;
export const sql = {
  instanceName: postgres.instanceName,
  connectionName: postgres.connectionName,
  privateIp: postgres.privateIp,
  replicaConnectionName: postgres.replicaConnectionName,
};
export const redis = { host: memorystore.host, port: memorystore.port };
/** psql script giving each service's IAM user its own database only: docs/cloudsql-iam.md. */
export const cloudSqlGrants = iamGrantsScript(
  Object.entries(serviceDatabases).map(([service, names]) => ({
    service,
    database: names.database,
    iamUser: iamUserOf(service),
    legacyUser: names.user,
  })),
);
export const databaseIamUsers = databaseIdentities.users;
export const databases = Object.fromEntries(
  Object.entries(postgres.databases).map(([service, db]) => [
    service,
    { database: db.database, user: db.user, databaseUrlSecretId: db.databaseUrlSecretId },
  ]),
);
export const secretIds = { ...platformSecrets.secretIds, REDIS_URL: memorystore.redisUrlSecretId };
export const edge = {
  apiAddress: gateway.ipAddress,
  grafanaAddress: gateway.grafanaIpAddress,
  hosts: gateway.hosts,
  securityPolicy: gateway.securityPolicyName,
};
export const observability = {
  prometheusUrl: monitoring.prometheusUrl,
  otlpEndpoint: tracing.otlpEndpoint,
  tracesUrl: tracing.queryUrl,
  grafanaAdminSecret: monitoring.grafanaAdminSecretName,
};
export const data = {
  neo4j: { boltUri: neo4j.boltUri, backupBucket: neo4j.backupBucket },
  kafka: { bootstrapServers: kafka.bootstrapServers, topics: kafka.topics },
};
export const objectStorage = { endpoint: objectStore.endpoint, buckets: objectStore.buckets };
export const serviceAccounts = Object.fromEntries(
  Object.entries(deployments).map(([name, deployment]) => [
    name,
    deployment.googleServiceAccountEmail,
  ]),
);
export const services = Object.fromEntries(
  serviceNames.map((name) => {
    const service = catalog[name];
    return [
      name,
      {
        image: imageReference(config),
        port: service.port,
        resources: service.resources[config.stack],
        scaling: service.scaling[config.stack],
      },
    ];
  }),
);
