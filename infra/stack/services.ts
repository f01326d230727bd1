import * as pulumi from '@pulumi/pulumi';
import { isServiceName, serviceDefinition, serviceNames } from '../../services/catalog.js';
import { CloudSqlIamUsers } from '../components/cloudsql/index.js';
import { backendServiceAnnotations, edgeObjectName } from '../components/ingress/index.js';
import { KAFKA_CA_CERT_FILE, kafkaClientCaConfigMap } from '../components/kafka/index.js';
import { resourceLabels } from '../components/labels.js';
import { REDIS_CA_CERT_FILE, redisServerCaConfigMap } from '../components/memorystore/index.js';
import { BUCKET_ROLES } from '../components/object-storage/index.js';
import {
  type RenderedEnvironment,
  renderEnvironment,
  ServiceDeployment,
  serviceAccountId,
} from '../components/service-deployment/index.js';
import { imageReference, SECRET_KEYS, type SecretKey } from '../config.js';
import { llmProviderWarnings, llmVariables } from '../llm/index.js';
import { awsChainSecrets, serviceEnvironments } from '../service-environments.js';
import type { clusterPlatform } from './cluster-platform.js';
import type { StackContext } from './context.js';
import type { dataStores } from './data-stores.js';
import type { foundation } from './foundation.js';

/** A rendered environment with variables its schema does not name added to its Secret. */
const withSecrets = (
  environment: RenderedEnvironment,
  secrets: Record<string, pulumi.Output<string>>,
): RenderedEnvironment => ({ ...environment, secrets: { ...environment.secrets, ...secrets } });

/**
 * The six services: their environments from the catalog's contract, their Deployments (and
 * migrate Jobs), the Memorystore and Kafka CAs they mount, and their Cloud SQL IAM database users.
 */
export function serviceWorkloads(
  { config, secrets, prefix }: StackContext,
  { gke, afterApis }: Pick<ReturnType<typeof foundation>, 'gke' | 'afterApis'>,
  stores: ReturnType<typeof dataStores>,
  platform: ReturnType<typeof clusterPlatform>,
) {
  const { postgres, memorystore, objectStore, tokenIssuer, platformSecrets } = stores;
  const { onCluster, namespaces, neo4j, kafka, monitoring, tracing } = platform;
  const workloads = config.workloads;
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
  // Kafka's cluster CA, which the program made, published where the services can mount it.
  const kafkaClientCa = kafkaClientCaConfigMap(
    prefix,
    {
      namespace: namespaces.names.services as pulumi.Output<string>,
      certificate: kafka.clusterCaCertificate,
    },
    { provider: gke.provider },
  );

  const secretValue = (env: string) => {
    const value = platformSecrets.values[env];
    if (!value) throw new Error(`platform secret ${env} is missing`);
    return value;
  };
  /** A service's IAM database user: its Workload Identity service account email, less `.gserviceaccount.com`. */
  const iamUserOf = (name: string) =>
    `${serviceAccountId(name, config.stack)}@${config.project}.iam`;
  // A class no enabled provider serves keeps the LLM services from starting: say so now.
  for (const warning of llmProviderWarnings(
    config.stack,
    config.llm,
    Object.keys(secrets) as SecretKey[],
  )) {
    pulumi.log.warn(warning);
  }
  // Provider keys: every secret key that is not generated (the platform's own keys are).
  const llm = {
    variables: llmVariables(config.llm),
    keys: Object.fromEntries(
      Object.entries(platformSecrets.values).filter(([env]) =>
        Object.values(SECRET_KEYS).some((key) => key.env === env && !key.generated),
      ),
    ),
  };
  const environments = serviceEnvironments({
    stack: config.stack,
    namespace: config.services.namespace,
    revision: config.imageTag,
    jwtSigningKey: secretValue('JWT_SIGNING_KEY'),
    jwtPublicKeys: tokenIssuer.publicKeys,
    serviceSigningKeys: tokenIssuer.serviceSigningKeys,
    encryptionKey: secretValue('ENCRYPTION_KEY'),
    treasuryPrivateKey: secretValue('TREASURY_PRIVATE_KEY'),
    redisUrl: memorystore.redisUrl,
    redisCaCertFile: REDIS_CA_CERT_FILE,
    cloudSql: {
      // The primary, or the disaster recovery replica once promoted (cloudSql.disasterRecovery).
      instanceConnectionName: postgres.servingConnectionName,
      // The in-region replica follows the primary; once the disaster recovery replica serves,
      // it follows nothing that serves, and reads go to the serving instance alone.
      ...(config.cloudSql.disasterRecovery?.promoted
        ? {}
        : { readInstanceConnectionName: postgres.replicaConnectionName }),
      databases: Object.fromEntries(
        Object.entries(postgres.databases).map(([name, db]) => [
          name,
          { database: db.database, iamUser: iamUserOf(name) },
        ]),
      ),
    },
    llm,
    neo4j: { uri: neo4j.boltUri, password: neo4j.password },
    tracing: {
      endpoint: tracing.otlpEndpoint,
      samplingRatio: workloads.monitoring.traceSamplingRatio,
    },
    shutdownTimeoutMs: 10_000,
    corsAllowedOrigins: config.services.corsAllowedOrigins,
    tokens: config.tokens,
    operator: { featureFlags: config.services.featureFlags, settings: config.services.settings },
    objectStorage: { endpoint: objectStore.endpoint, buckets: objectStore.buckets },
    kafka: {
      bootstrapServers: kafka.bootstrapServers,
      caCertFile: KAFKA_CA_CERT_FILE,
      clients: kafka.clients,
    },
  });

  const deployments = Object.fromEntries(
    serviceNames.map((name) => {
      const definition = serviceDefinition(name);
      // Blue-green services run one Deployment per colour, each on its configured image tag.
      const images: Record<string, string> =
        definition.rollout === 'blue-green'
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
      const isPublic = definition.exposure === 'public';
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
            environment: withSecrets(
              renderEnvironment(name, definition.env, environments[name] as never),
              awsChainSecrets({ llm }, name),
            ),
            images,
            activeColor: config.services.activeColor,
            canary: config.services.canary && {
              colour: config.services.activeColor === 'blue' ? 'green' : 'blue',
              percent: config.services.canary.percent,
            },
            migrate: definition.migrations,
            public: isPublic,
            serviceAnnotations: isPublic
              ? backendServiceAnnotations(edgeObjectName('api'))
              : undefined,
            prometheusRelease: monitoring.releaseName,
            readableSecrets: {
              'redis-url': memorystore.redisUrlSecretId,
            },
            shutdownTimeoutSeconds: 10,
            labels: resourceLabels({ environment: config.stack, service: name }),
            files: [
              ...(definition.dataStores.includes('redis') ? [redisServerCa.files] : []),
              ...(kafka.clients[name] ? [kafkaClientCa.files] : []),
            ],
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
      // The services given CLOUD_SQL_READ_INSTANCE (service-environments.ts) reach the replica
      // too. Not withdrawn on a promotion: the grants stay as they were (below).
      ...(postgres.replicaInstanceNames.read
        ? {
            readReplica: {
              instance: postgres.replicaInstanceNames.read,
              services: Object.keys(postgres.databases).filter(
                (name) => isServiceName(name) && serviceDefinition(name).database?.readPoolSize,
              ),
            },
          }
        : {}),
      // Every service reaches the disaster recovery replica before it is promoted, so the
      // lost-region runbook's repoint (CLOUD_SQL_INSTANCE to it) needs no IAM change mid-incident.
      disasterRecoveryInstance: postgres.disasterRecoveryInstanceName,
      // An adopted primary (this stack's promoted disaster recovery replica, the stack moved to
      // its region) already holds every service's IAM user: imported, not created.
      ...(config.cloudSql.adoptPrimary
        ? {
            adoptedInstance: {
              name: config.cloudSql.adoptPrimary.instanceName,
              users: Object.fromEntries(
                Object.keys(postgres.databases).map((name) => [name, iamUserOf(name)]),
              ),
            },
          }
        : {}),
      serviceAccounts: Object.fromEntries(
        Object.keys(postgres.databases).map((name) => [
          name,
          (deployments[name] as ServiceDeployment).googleServiceAccountEmail,
        ]),
      ),
    },
    afterApis,
  );
  return { deployments, databaseIdentities, iamUserOf };
}
