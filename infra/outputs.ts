import { z } from 'zod';
import { STACKS } from '../services/catalog.js';

const secretId = z
  .string()
  .regex(/^projects\/[^/]+\/secrets\/[^/]+$/, 'expected a Secret Manager secret name');

/**
 * The stack-output contract: what `pulumi stack output` shows and what other stacks read with
 * `StackReference`. Secret values (the kubeconfig) are secret outputs; credentials themselves are
 * never outputs — only the Secret Manager names that hold them.
 */
export const stackOutputsSchema = z.object({
  stack: z.enum(STACKS),
  project: z.string(),
  region: z.string(),
  network: z.object({
    /** VPC network id. */
    id: z.string(),
    /** Subnetwork of the cluster nodes. */
    subnetwork: z.string(),
  }),
  cluster: z.object({
    name: z.string(),
    /** Location: the region (regional cluster) or a zone. */
    location: z.string(),
    /** Private IP endpoint of the control plane, reachable inside the VPC only. */
    endpoint: z.string(),
    /** DNS endpoint (`gke-<hash>.<location>.gke.goog`): the way in from outside, IAM-checked. */
    dnsEndpoint: z.string(),
    /** Workload Identity pool, `<project>.svc.id.goog`. */
    workloadIdentityPool: z.string(),
  }),
  /** Secret: a kubeconfig for the DNS endpoint using gke-gcloud-auth-plugin. */
  kubeconfig: z.string(),
  /** Concern → Kubernetes namespace (`services` is the stack's `services.namespace`). */
  namespaces: z.object({
    services: z.string(),
    data: z.string(),
    kafka: z.string(),
    monitoring: z.string(),
    ingress: z.string(),
  }),
  /** The Artifact Registry repository the program created; absent when the image lives elsewhere. */
  imageRepositoryUrl: z.string().optional(),
  sql: z.object({
    instanceName: z.string(),
    /** `project:region:instance`, for the Cloud SQL Auth Proxy and connectors. */
    connectionName: z.string(),
    privateIp: z.string(),
    /** Present on stacks with a read replica. */
    replicaConnectionName: z.string().optional(),
    /**
     * The instance the services connect to: `connectionName`, or the disaster recovery replica's
     * once promoted (`cloudSql.disasterRecovery.promoted`). What other stacks should dial.
     */
    servingConnectionName: z.string(),
  }),
  redis: z.object({ host: z.string(), port: z.number().int() }),
  /** Service → its database, user, and the Secret Manager secret holding its DATABASE_URL. */
  databases: z.record(
    z.string(),
    z.object({ database: z.string(), user: z.string(), databaseUrlSecretId: secretId }),
  ),
  /** Environment variable → Secret Manager secret holding it (REDIS_URL, JWT_SIGNING_KEY, ...). */
  secretIds: z.record(z.string(), secretId),
  /** The public entry: addresses to point DNS at, hosts, the Cloud Armor policy. */
  edge: z.object({
    apiAddress: z.string(),
    grafanaAddress: z.string(),
    hosts: z.array(z.string()),
    securityPolicy: z.string(),
  }),
  /** In-cluster Prometheus and OTLP endpoints, the traces UI, Grafana's admin Secret. */
  observability: z.object({
    prometheusUrl: z.string(),
    otlpEndpoint: z.string(),
    tracesUrl: z.string(),
    grafanaAdminSecret: z.string(),
  }),
  /** Data stores on the cluster. */
  data: z.object({
    neo4j: z.object({ boltUri: z.string(), backupBucket: z.string() }),
    kafka: z.object({ bootstrapServers: z.string(), topics: z.array(z.string()) }),
  }),
  /** Cloud Storage buckets by purpose, and the S3 (XML API) endpoint the services use. */
  objectStorage: z.object({
    endpoint: z.string(),
    buckets: z.record(z.string(), z.string()),
  }),
  /**
   * The daily configuration backup (`.github/workflows/config-backup.yml`): its bucket in the
   * backup location, and the service account the workflow acts as to write there.
   */
  backups: z.object({ configBucket: z.string(), configWriter: z.string() }),
  /**
   * The release pipeline's supply chain (docs/release.md): who pushes and signs, the attestor the
   * stack's Binary Authorization policy requires, and the Cloud KMS key version that signs for it.
   */
  release: z.object({
    serviceAccount: z.string(),
    /** `projects/<project>/attestors/<name>`. */
    attestor: z.string(),
    /** `projects/…/cryptoKeys/<key>/cryptoKeyVersions/<n>`: `--keyversion` of sign-and-create. */
    attestorKeyVersion: z.string(),
  }),
  /** Service → its Google service account (Workload Identity). */
  serviceAccounts: z.record(z.string(), z.string()),
  /** What each service runs with on this stack, from the service catalog. */
  services: z.record(
    z.string(),
    z.object({
      image: z.string(),
      port: z.number().int(),
      resources: z.unknown(),
      scaling: z.unknown(),
    }),
  ),
});

export type StackOutputs = z.infer<typeof stackOutputsSchema>;
