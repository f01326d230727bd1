import { catalog, serviceNames } from '../services/catalog.js';
import { iamGrantsScript } from './components/cloudsql/index.js';
import { resourceLabels } from './components/labels.js';
import { imageReference, loadStackConfig } from './config.js';
import { withPagerDutyUserIds } from './pagerduty-people.js';
import { cloudAlerts } from './stack/cloud-alerts.js';
import { clusterPlatform } from './stack/cluster-platform.js';
import { dataStores } from './stack/data-stores.js';
import { publicEdge } from './stack/edge.js';
import { foundation } from './stack/foundation.js';
import { serviceWorkloads } from './stack/services.js';

const { config, secrets, receiverSecrets } = loadStackConfig();
// People on call are named by email; PagerDuty's user lookup resolves them now, so an unknown
// address fails the preview naming its key before anything is created.
const pagerdutySettings =
  config.alerting.pagerduty &&
  (await withPagerDutyUserIds(config.stack, config.alerting.pagerduty));
/** Every resource name starts with this, so names are deterministic per stack. */
const prefix = `aia-${config.stack}`;
const labels = resourceLabels({ environment: config.stack });
const context = { config, secrets, receiverSecrets, prefix, labels };

// Built in this order, each part from the ones before it.

const base = foundation(context);
const stores = dataStores(context, base);
const platform = clusterPlatform(context, base, pagerdutySettings);
cloudAlerts(context, stores, platform, pagerdutySettings);
const workloadsOfServices = serviceWorkloads(context, base, stores, platform);
const { gateway } = publicEdge(context, base, platform, workloadsOfServices);

const { imageRepository, release: releaseSigning, vpc, gke } = base;
const { serviceDatabases, postgres, memorystore, objectStore, platformSecrets, configBackups } =
  stores;
const { neo4j, kafka, monitoring, tracing, namespaces: platformNamespaces } = platform;
const { deployments, databaseIdentities, iamUserOf } = workloadsOfServices;

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
/** Concern → Kubernetes namespace: where the services, data stores, Kafka and monitoring run. */
export const namespaces = platformNamespaces.names;
export const imageRepositoryUrl = imageRepository?.url;
export const sql = {
  instanceName: postgres.instanceName,
  connectionName: postgres.connectionName,
  privateIp: postgres.privateIp,
  replicaConnectionName: postgres.replicaConnectionName,
  servingConnectionName: postgres.servingConnectionName,
};
export const redis = { host: memorystore.host, port: memorystore.port };
/** The ledger's database: the one the auditors' group reads (the ledger checks). */
const ledger = serviceDatabases['economic-governor'];
/**
 * psql script giving each service's IAM user its own database only, and the auditors' group
 * read-only access to the ledger's: docs/cloudsql-iam.md.
 */
export const cloudSqlGrants = iamGrantsScript(
  Object.entries(serviceDatabases).map(([service, names]) => ({
    service,
    database: names.database,
    iamUser: iamUserOf(service),
    legacyUser: names.user,
  })),
  config.cloudSql.auditorsGroup && ledger
    ? {
        role: config.cloudSql.auditorsGroup,
        databases: [{ database: ledger.database, owner: iamUserOf('economic-governor') }],
      }
    : undefined,
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
/** Where the daily configuration backup goes, and the account that writes it. */
export const backups = {
  configBucket: configBackups.bucket,
  configWriter: configBackups.writer,
};
export const release = {
  serviceAccount: releaseSigning.serviceAccountEmail,
  attestor: releaseSigning.attestor,
  attestorKeyVersion: releaseSigning.keyVersion,
};
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
