import type * as pulumi from '@pulumi/pulumi';
import type { z } from 'zod';
import { clusterUrl, upstreamVariable } from '../services/catalog/upstreams.js';
import {
  type BucketPurpose,
  catalog,
  type ServiceName,
  type StackName,
  serviceDefinition,
  serviceNames,
} from '../services/catalog.js';
import { GCS_S3_REGION } from './components/object-storage/index.js';
import type { EnvInputs } from './components/service-deployment/index.js';
import type { TokensConfig } from './config-schema.js';
import { type OperatorSettings, operatorVariables } from './operator-settings.js';

type Secret = pulumi.Output<string>;

/** What the stack knows that the services need. */
export interface EnvironmentSources {
  readonly stack: StackName;
  readonly namespace: string;
  readonly revision: string;
  /** The issuer's private key: the gateway's alone. */
  readonly jwtSigningKey: Secret;
  /** The issuer's and the calling services' public keys (JWKS JSON): every service's ConfigMap. */
  readonly jwtPublicKeys: pulumi.Input<string>;
  /** Each calling service's own signing key (`SERVICE_SIGNING_KEY`): that service's alone. */
  readonly serviceSigningKeys: Readonly<Record<string, Secret>>;
  readonly encryptionKey: Secret;
  readonly treasuryPrivateKey: Secret;
  readonly redisUrl: Secret;
  /** Where the Memorystore server CA is mounted in the containers (`REDIS_CA_CERT_FILE`). */
  readonly redisCaCertFile: string;
  /**
   * Cloud SQL through the connector with IAM database authentication: the instance connection
   * name, and each service's database and IAM database user. No password URL reaches a service.
   */
  readonly cloudSql: {
    readonly instanceConnectionName: pulumi.Input<string>;
    /**
     * The in-region read replica of that instance, if any: given to services whose catalog entry
     * has `database.readPoolSize`, for their lag-tolerant reads (docs/connections.md).
     */
    readonly readInstanceConnectionName?: pulumi.Input<string>;
    readonly databases: Readonly<
      Record<string, { readonly database: pulumi.Input<string>; readonly iamUser: string }>
    >;
  };
  /**
   * What the LLM services get: the variables of `aia-platform:llm` (ConfigMap) and the provider
   * keys set in secret config, by variable name (Secret).
   */
  readonly llm: {
    readonly variables: Readonly<Record<string, string>>;
    readonly keys: Readonly<Record<string, Secret>>;
  };
  readonly neo4j?: { readonly uri: pulumi.Input<string>; readonly password: Secret };
  /** The OTLP collector the services send traces to, and the share of traces they keep. */
  readonly tracing?: { readonly endpoint: pulumi.Input<string>; readonly samplingRatio: number };
  /** How long in-flight requests may finish after SIGTERM. */
  readonly shutdownTimeoutMs: number;
  /** Browser origins the gateway lets call the API cross-origin (`services.corsAllowedOrigins`). */
  readonly corsAllowedOrigins: readonly string[];
  /** The ledger's genesis supplies and staking lock. */
  readonly tokens: TokensConfig;
  /** `services.featureFlags` and `services.settings`: what operators set per stack. */
  readonly operator?: OperatorSettings;
  /** The S3 endpoint (Cloud Storage's XML API) and the bucket of each purpose. */
  readonly objectStorage: {
    readonly endpoint: pulumi.Input<string>;
    readonly buckets: Readonly<Record<BucketPurpose, pulumi.Input<string>>>;
  };
  /**
   * Kafka: the TLS bootstrap address, where the cluster CA is mounted in the containers, and the
   * login of each service that produces or consumes a topic.
   */
  readonly kafka: {
    readonly bootstrapServers: pulumi.Input<string>;
    readonly caCertFile: string;
    readonly clients: Readonly<
      Partial<
        Record<ServiceName, { readonly username: pulumi.Input<string>; readonly password: Secret }>
      >
    >;
  };
}

/** What a service that produces or consumes a topic needs to reach the deployed Kafka. */
interface KafkaVariables {
  readonly EVENT_TRANSPORT: 'kafka';
  readonly KAFKA_BROKERS: pulumi.Input<string>;
  readonly KAFKA_USERNAME: pulumi.Input<string>;
  readonly KAFKA_PASSWORD: Secret;
  readonly KAFKA_CA_CERT_FILE: string;
}

/**
 * A service whose schema reads the event bus's variables (the kit's `KAFKA_BROKERS` and the
 * rest) is given Kafka, or the stack does not compile; a schema without them gets none.
 */
type EventBusInputs<Env extends z.ZodObject> = 'KAFKA_BROKERS' extends keyof z.input<Env>
  ? KafkaVariables
  : Record<never, never>;

/**
 * What a deployed stack must give beyond the schema's required variables: Redis is optional for
 * local runs only (the schemas' `requiredWhenDeployed('REDIS_URL')`), and Memorystore's TLS needs
 * its CA. Leaving either out does not compile.
 */
type DeployedInputs<Env extends z.ZodObject> = EnvInputs<Env> & {
  readonly REDIS_URL: Secret;
  readonly REDIS_CA_CERT_FILE: string;
} & ObjectStorageInputs<Env> &
  CloudSqlInputs<Env> &
  EventBusInputs<Env>;

/**
 * A service whose schema reads PostgreSQL is given the Cloud SQL connector's variables, and no
 * DATABASE_URL (a password URL), or the stack does not compile.
 */
type CloudSqlInputs<Env extends z.ZodObject> = 'CLOUD_SQL_INSTANCE' extends keyof z.input<Env>
  ? {
      readonly CLOUD_SQL_INSTANCE: pulumi.Input<string>;
      readonly DATABASE_USER: string;
      readonly DATABASE_NAME: pulumi.Input<string>;
      readonly DATABASE_URL?: never;
    }
  : unknown;

/**
 * A service whose schema reads S3_BUCKET is given the endpoint, the bucket and how to
 * authenticate, or the stack does not compile: its schema only requires them once deployed.
 */
type ObjectStorageInputs<Env extends z.ZodObject> = 'S3_BUCKET' extends keyof z.input<Env>
  ? {
      readonly S3_ENDPOINT: pulumi.Input<string>;
      readonly S3_BUCKET: pulumi.Input<string>;
      readonly S3_AUTH: 'google-oauth';
    }
  : unknown;

/**
 * A service's upstream URL variables (`ECONOMIC_GOVERNOR_URL`, those its schema reads) set to the
 * upstreams' in-cluster addresses, and a caller's own signing key.
 */
function callerEnvironment(sources: EnvironmentSources, name: ServiceName) {
  const shape = serviceDefinition(name).env.shape;
  const urls = serviceNames
    .filter((upstream) => upstreamVariable(upstream) in shape)
    .map((upstream) => [
      upstreamVariable(upstream),
      clusterUrl(catalog[upstream], sources.namespace),
    ]);
  const key = sources.serviceSigningKeys[name];
  if ('SERVICE_SIGNING_KEY' in shape && !key)
    throw new Error(`${name} calls other services but no signing key was made for it`);
  return {
    ...Object.fromEntries(urls),
    ...('SERVICE_SIGNING_KEY' in shape && key ? { SERVICE_SIGNING_KEY: key } : {}),
  };
}

/**
 * Variables the AWS SDK's credential chain reads from the process environment by itself: Bedrock's
 * static keys. No env schema names them, so they travel beside the rendered environment.
 */
export const AWS_CHAIN_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;

/**
 * The AWS chain's variables set in secret config, for a service whose schema enables Bedrock by
 * AWS_REGION (the LLM services), to join its Secret; nothing for the others.
 */
export function awsChainSecrets(
  sources: Pick<EnvironmentSources, 'llm'>,
  name: ServiceName,
): Record<string, Secret> {
  if (!('AWS_REGION' in serviceDefinition(name).env.shape)) return {};
  return Object.fromEntries(
    AWS_CHAIN_VARIABLES.flatMap((variable) => {
      const value = sources.llm.keys[variable];
      return value ? [[variable, value]] : [];
    }),
  );
}

/**
 * Each service's environment, typed by its env schema in the catalog: leaving out a variable the
 * schema requires does not compile, and a bad value fails the plan with its name.
 */
export function serviceEnvironments(sources: EnvironmentSources) {
  const common = (name: ServiceName) => ({
    ENVIRONMENT: sources.stack,
    PORT: String(catalog[name].port),
    LOG_LEVEL: 'info',
    GIT_REVISION: sources.revision,
    SHUTDOWN_TIMEOUT_MS: String(sources.shutdownTimeoutMs),
    JWT_PUBLIC_KEYS: sources.jwtPublicKeys,
    ...callerEnvironment(sources, name),
    REDIS_URL: sources.redisUrl,
    REDIS_CA_CERT_FILE: sources.redisCaCertFile,
    ...(sources.tracing
      ? {
          TRACING_ENABLED: 'true',
          OTEL_EXPORTER_OTLP_ENDPOINT: sources.tracing.endpoint,
          OTEL_TRACES_SAMPLER_ARG: String(sources.tracing.samplingRatio),
        }
      : {}),
  });
  // Workload Identity's OAuth 2.0 token instead of an HMAC key pair: docs/object-storage.md.
  const objectStorage = (name: ServiceName) => {
    const use = serviceDefinition(name).objectStorage;
    if (!use) throw new Error(`${name} has no objectStorage in the catalog`);
    return {
      S3_ENDPOINT: sources.objectStorage.endpoint,
      S3_REGION: GCS_S3_REGION,
      S3_BUCKET: sources.objectStorage.buckets[use.bucket],
      S3_AUTH: 'google-oauth' as const,
      S3_FORCE_PATH_STYLE: 'true',
    };
  };
  const database = (name: ServiceName) => {
    const entry = sources.cloudSql.databases[name];
    if (!entry) throw new Error(`no database was created for ${name}`);
    // Pool sizes from the catalog, which the policy pack's connection arithmetic counts.
    const use = serviceDefinition(name).database;
    if (!use) throw new Error(`${name} has no database pool sizes in the catalog`);
    const read = sources.cloudSql.readInstanceConnectionName;
    return {
      CLOUD_SQL_INSTANCE: sources.cloudSql.instanceConnectionName,
      CLOUD_SQL_IP_TYPE: 'PRIVATE',
      DATABASE_USER: entry.iamUser,
      DATABASE_NAME: entry.database,
      DATABASE_POOL_MAX: String(use.poolSize),
      ...(read !== undefined && use.readPoolSize !== undefined
        ? { CLOUD_SQL_READ_INSTANCE: read, DATABASE_READ_POOL_MAX: String(use.readPoolSize) }
        : {}),
    };
  };
  // Every producer and consumer of a topic logs in as its own KafkaUser over TLS; the topics'
  // ACLs are that user's (infra/components/kafka/users.ts).
  const eventBus = <Name extends ServiceName>(name: Name) => {
    if (!('KAFKA_BROKERS' in serviceDefinition(name).env.shape)) {
      // Only a schema without the variables gets here, and its EventBusInputs is empty;
      // TypeScript cannot narrow the conditional type by a runtime check, hence the cast.
      return {} as EventBusInputs<(typeof catalog)[Name]['env']>;
    }
    const login = sources.kafka.clients[name];
    if (!login) throw new Error(`${name} reads Kafka variables but produces or consumes no topic`);
    const variables: KafkaVariables = {
      EVENT_TRANSPORT: 'kafka',
      KAFKA_BROKERS: sources.kafka.bootstrapServers,
      KAFKA_USERNAME: login.username,
      KAFKA_PASSWORD: login.password,
      KAFKA_CA_CERT_FILE: sources.kafka.caCertFile,
    };
    return variables as EventBusInputs<(typeof catalog)[Name]['env']>;
  };
  // The stack's LLM settings and keys, only for a schema that takes the LLM layer's variables;
  // each key only where the schema names it (the AWS chain's keys go apart: awsChainSecrets).
  const llm = (name: ServiceName) => {
    const shape = serviceDefinition(name).env.shape;
    if (!('LLM_CLASSES' in shape)) return {};
    const keys = Object.entries(sources.llm.keys).filter(([variable]) => variable in shape);
    return { ...sources.llm.variables, ...Object.fromEntries(keys) };
  };
  const environments: { [Name in ServiceName]: DeployedInputs<(typeof catalog)[Name]['env']> } = {
    'aia-api': {
      ...common('aia-api'),
      ...eventBus('aia-api'),
      // Machine clients, API keys and the audit chain (services/aia-api/identity, protection).
      ...database('aia-api'),
      JWT_SIGNING_KEY: sources.jwtSigningKey,
      // Behind Google's HTTP(S) load balancer: X-Forwarded-For ends "<client>, <load balancer>".
      RATE_LIMIT_TRUSTED_PROXY_HOPS: '2',
      CORS_ALLOWED_ORIGINS: sources.corsAllowedOrigins.join(','),
    },
    'economic-governor': {
      ...common('economic-governor'),
      ...eventBus('economic-governor'),
      ...database('economic-governor'),
      TREASURY_PRIVATE_KEY: sources.treasuryPrivateKey,
      AIA_INITIAL_SUPPLY: sources.tokens.aiaInitialSupply,
      AIA_GOV_INITIAL_SUPPLY: sources.tokens.aiaGovInitialSupply,
      STAKING_LOCK_SECONDS: String(sources.tokens.stakingLockSeconds),
    },
    'venture-discovery': {
      ...common('venture-discovery'),
      ...eventBus('venture-discovery'),
      ...llm('venture-discovery'),
      ...database('venture-discovery'),
      ...objectStorage('venture-discovery'),
    },
    'agent-orchestrator': {
      ...common('agent-orchestrator'),
      ...eventBus('agent-orchestrator'),
      ...llm('agent-orchestrator'),
      ...database('agent-orchestrator'),
      ENCRYPTION_KEY: sources.encryptionKey,
    },
    'dkg-manager': {
      ...common('dkg-manager'),
      ...eventBus('dkg-manager'),
      ...database('dkg-manager'),
      ...(sources.neo4j
        ? {
            GRAPH_BACKEND: 'neo4j',
            NEO4J_URI: sources.neo4j.uri,
            NEO4J_PASSWORD: sources.neo4j.password,
          }
        : {}),
    },
    'performance-tracker': {
      ...common('performance-tracker'),
      ...eventBus('performance-tracker'),
      ...database('performance-tracker'),
    },
  };
  const operator = sources.operator;
  if (!operator) return environments;
  // The operators' flags and tunables join each environment, never over what the program sets.
  for (const name of serviceNames) {
    const environment = environments[name] as unknown as Record<string, unknown>;
    // HOST too: the rendering adds it (every interface), and a setting must not move it.
    const programSet = new Set([...Object.keys(environment), 'HOST']);
    Object.assign(environment, operatorVariables(name, operator, programSet));
  }
  return environments;
}
