import * as gcp from '@pulumi/gcp';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import { DEFAULT_SERVICES_NAMESPACE } from '../../config-schema.js';
import {
  type BackupLocation,
  backupBucketLocation,
  backupLocationSuffix,
} from '../object-storage/backup-location.js';
import {
  BACKUP_KSA,
  BACKUP_ROLES,
  backupAccountId,
  backupBucketName,
  backupCronJobSpec,
  backupLifecycleRules,
} from './backup.js';
import { neo4jChartValues } from './chart-values.js';
import { neo4jNetworkPolicySpec } from './network-policy.js';
import {
  NEO4J_BOLT_PORT,
  NEO4J_CHART,
  NEO4J_RELEASE,
  NEO4J_USER,
  neo4jLabels,
} from './settings.js';

export interface Neo4jDatabaseArgs {
  readonly project: string;
  /**
   * Where the backup bucket keeps the dumps: a dual-region or multi-region, so they outlive the
   * stack's region (`backupLocation`, infra/components/object-storage/backup-location.ts).
   */
  readonly backupLocation: BackupLocation;
  /** Namespace the database and its backup job run in (created by the program). */
  readonly namespace: pulumi.Input<string>;
  readonly stack: 'staging' | 'production';
  /** Size of the data volume (SSD persistent disk). */
  readonly storageGb: number;
  /** CPU and memory of the server, requests and limits alike (at least 500m and 2Gi). */
  readonly cpu: string;
  readonly memory: string;
  /** Cron schedule of the backup job, UTC. */
  readonly backupSchedule: string;
  /** Days a backup is kept in the bucket. */
  readonly backupRetentionDays: number;
  /** Google Cloud labels (owner, environment, service) for the bucket. */
  readonly labels: Record<string, string>;
  /** `<project>.svc.id.goog`, from the cluster, so the binding waits for it. */
  readonly workloadIdentityPool: pulumi.Input<string>;
  /** Prefix of Google Cloud names. Default: `aia-<stack>`. */
  readonly prefix?: string;
  /** Namespace whose pods may open Bolt connections. Default: `aia`. */
  readonly clientNamespace?: pulumi.Input<string>;
  /**
   * Keep the backup bucket when the stack is destroyed. Default: true. `false` (staging) lets
   * `pulumi destroy` delete the bucket with every backup in it.
   */
  readonly deletionProtection?: boolean;
  /** Storage class of the data volume. Default `premium-rwo` (zonal SSD persistent disk). */
  readonly storageClass?: string;
  /** Cloud KMS key of the backup bucket (CMEK); Google-managed encryption when unset. */
  readonly kmsKeyName?: string;
}

/**
 * Neo4j community edition, standalone, from the official Helm chart: an SSD persistent volume,
 * a generated password in a Kubernetes Secret, Bolt open to the client namespace only, and a
 * nightly online export to a versioned Cloud Storage bucket with retention, uploaded by a
 * CronJob running as a Google service account through Workload Identity.
 */
export class Neo4jDatabase extends pulumi.ComponentResource {
  /** `neo4j://neo4j.<namespace>.svc.cluster.local:7687`, known once the release is installed. */
  readonly boltUri: pulumi.Output<string>;
  readonly user: pulumi.Output<string>;
  /** Kubernetes Secret with `NEO4J_AUTH` (`neo4j/<password>`) and `NEO4J_PASSWORD`. */
  readonly passwordSecretName: pulumi.Output<string>;
  /** Secret output. */
  readonly password: pulumi.Output<string>;
  readonly backupBucket: pulumi.Output<string>;

  constructor(name: string, args: Neo4jDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validated before anything registers, so a bad argument leaves nothing half-built.
    const prefix = args.prefix ?? `aia-${args.stack}`;
    const bucketName = backupBucketName(prefix, backupLocationSuffix(args.backupLocation));
    const accountId = backupAccountId(prefix);
    const lifecycleRules = backupLifecycleRules(args.backupRetentionDays);
    const passwordSecretName = `${NEO4J_RELEASE}-auth`;
    const values = neo4jChartValues({ ...args, passwordSecretName });
    super('aia:platform:Neo4jDatabase', name, {}, opts);
    const child = { parent: this };
    const { namespace, project } = args;

    const password = new random.RandomPassword(
      `${name}-password`,
      // Letters and digits only: the chart splits NEO4J_AUTH on '/' and checks it with \w.
      { length: 32, special: false, minLower: 1, minUpper: 1, minNumeric: 1 },
      child,
    );
    const secret = new k8s.core.v1.Secret(
      `${name}-auth`,
      {
        metadata: { name: passwordSecretName, namespace, labels: neo4jLabels('database') },
        type: 'Opaque',
        stringData: {
          NEO4J_AUTH: pulumi.interpolate`${NEO4J_USER}/${password.result}`,
          NEO4J_PASSWORD: password.result,
        },
      },
      child,
    );
    const release = new k8s.helm.v3.Release(
      `${name}-release`,
      {
        name: NEO4J_RELEASE,
        chart: NEO4J_CHART.chart,
        version: NEO4J_CHART.version,
        repositoryOpts: { repo: NEO4J_CHART.repo },
        namespace,
        values,
        skipAwait: false,
        atomic: true,
        cleanupOnFail: true,
        timeout: 900,
      },
      { ...child, dependsOn: [secret] },
    );
    new k8s.networking.v1.NetworkPolicy(
      `${name}-bolt`,
      {
        metadata: { name: 'neo4j-bolt', namespace, labels: neo4jLabels('database') },
        spec: neo4jNetworkPolicySpec(args.clientNamespace ?? DEFAULT_SERVICES_NAMESPACE),
      },
      child,
    );

    const bucket = new gcp.storage.Bucket(
      `${name}-backups`,
      {
        project,
        name: bucketName,
        ...backupBucketLocation(args.backupLocation),
        storageClass: 'STANDARD',
        uniformBucketLevelAccess: true,
        publicAccessPrevention: 'enforced',
        versioning: { enabled: true },
        lifecycleRules,
        labels: { ...args.labels },
        ...(args.kmsKeyName ? { encryption: { defaultKmsKeyName: args.kmsKeyName } } : {}),
        // A bucket that still holds objects cannot be deleted unless forced.
        forceDestroy: args.deletionProtection === false,
      },
      // A new location is a new bucket (Pulumi replaces it): the old one, with its dumps, stays
      // in the project, outside the stack, until they are copied over and it is deleted by hand.
      { ...child, retainOnDelete: args.deletionProtection !== false },
    );
    const account = new gcp.serviceaccount.Account(
      `${name}-backup-account`,
      { project, accountId, displayName: 'Neo4j backups: writes dumps to the backup bucket' },
      child,
    );
    // Create and read, never delete: overwriting needs storage.objects.delete too, so whoever
    // holds this identity can add dumps but cannot destroy or replace one (with versioning on,
    // even a delete by someone else leaves a noncurrent version).
    const writers = BACKUP_ROLES.map(
      (role) =>
        new gcp.storage.BucketIAMMember(
          `${name}-backup-${role.slice('roles/storage.'.length).toLowerCase()}`,
          { bucket: bucket.name, role, member: account.member },
          child,
        ),
    );
    const workloadIdentity = new gcp.serviceaccount.IAMMember(
      `${name}-backup-workload-identity`,
      {
        serviceAccountId: account.name,
        role: 'roles/iam.workloadIdentityUser',
        member: pulumi.interpolate`serviceAccount:${args.workloadIdentityPool}[${namespace}/${BACKUP_KSA}]`,
      },
      child,
    );
    const backupLabels = neo4jLabels('backup');
    const serviceAccount = new k8s.core.v1.ServiceAccount(
      `${name}-backup-sa`,
      {
        metadata: {
          name: BACKUP_KSA,
          namespace,
          labels: backupLabels,
          annotations: { 'iam.gke.io/gcp-service-account': account.email },
        },
      },
      child,
    );
    new k8s.batch.v1.CronJob(
      `${name}-backup-job`,
      {
        metadata: { name: 'neo4j-backup', namespace, labels: backupLabels },
        spec: backupCronJobSpec({
          schedule: args.backupSchedule,
          bucket: bucket.name,
          passwordSecretName: secret.metadata.name,
          storageGb: args.storageGb,
          labels: backupLabels,
        }),
      },
      // A run before the grants exist would fail to upload.
      { ...child, dependsOn: [release, serviceAccount, ...writers, workloadIdentity] },
    );

    this.boltUri = pulumi
      .all([release.id, namespace])
      .apply(([, ns]) => `neo4j://${NEO4J_RELEASE}.${ns}.svc.cluster.local:${NEO4J_BOLT_PORT}`);
    this.user = pulumi.output(NEO4J_USER);
    this.passwordSecretName = secret.metadata.name;
    this.password = pulumi.secret(password.result);
    this.backupBucket = bucket.name;
    this.registerOutputs({
      boltUri: this.boltUri,
      user: this.user,
      passwordSecretName: this.passwordSecretName,
      password: this.password,
      backupBucket: this.backupBucket,
    });
  }
}
