import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import { operatorNetworkPolicySpec, tenantNetworkPolicySpec } from './network-policy.js';
import {
  type ContainerResources,
  DEFAULT_SERVER_RESOURCES,
  MINIO_BUCKETS,
  MINIO_CHART_REPO,
  MINIO_OPERATOR_CHART,
  MINIO_TENANT_CHART,
  minioConfigEnv,
  minioLabels,
  OPERATOR_RELEASE,
  TENANT_NAME,
  TENANT_RELEASE,
} from './settings.js';
import { operatorValues, tenantValues } from './values.js';

export interface MinioStorageArgs {
  /** Namespace of the tenant (created by the program). */
  readonly namespace: pulumi.Input<string>;
  readonly stack: 'staging' | 'production';
  /** MinIO server pods in the pool: 1 (single node) or 4 and more for high availability. */
  readonly servers: number;
  readonly volumesPerServer: number;
  readonly storageGbPerVolume: number;
  /** Labels for every object and the tenant's pods, under the standard app.kubernetes.io set. */
  readonly labels: Record<string, string>;
  /** Namespace whose pods may call the S3 API. Default: `aia`. */
  readonly clientNamespace?: pulumi.Input<string>;
  /** Where the operator runs. Default: the tenant's namespace. */
  readonly operatorNamespace?: pulumi.Input<string>;
  /** Storage class of the volumes. Default: `standard-rwo` (balanced persistent disk). */
  readonly storageClass?: string;
  /** Per server pod. Default: by stack (`DEFAULT_SERVER_RESOURCES`). */
  readonly resources?: ContainerResources;
}

/**
 * S3-compatible object storage: the MinIO Operator and one Tenant from their pinned Helm charts,
 * TLS on the S3 API with certificates the operator requests from the cluster, generated root
 * credentials kept in a Kubernetes Secret, the `structured-reports` and `backups` buckets, and a
 * NetworkPolicy that opens the S3 port to the client namespace only.
 */
export class MinioStorage extends pulumi.ComponentResource {
  /** `https://minio.<namespace>.svc.cluster.local`, known once the tenant release is installed. */
  readonly endpoint: pulumi.Output<string>;
  /** Secret with `config.env`, `MINIO_ROOT_USER` and `MINIO_ROOT_PASSWORD`. */
  readonly credentialsSecretName: pulumi.Output<string>;
  readonly buckets: pulumi.Output<string[]>;

  constructor(name: string, args: MinioStorageArgs, opts?: pulumi.ComponentResourceOptions) {
    const credentialsSecretName = `${TENANT_NAME}-root-credentials`;
    // Validated before anything registers, so a bad pool leaves nothing half-built.
    const values = tenantValues({
      ...args,
      credentialsSecretName,
      resources: args.resources ?? DEFAULT_SERVER_RESOURCES[args.stack],
      storageClass: args.storageClass ?? 'standard-rwo',
    });
    super('aia:platform:MinioStorage', name, {}, opts);
    const child = { parent: this };
    const { namespace } = args;
    const operatorNamespace = args.operatorNamespace ?? namespace;
    const labelled = (component: 'tenant' | 'operator') => ({
      ...args.labels,
      ...minioLabels(component),
    });

    const user = new random.RandomPassword(
      `${name}-root-user`,
      { length: 20, special: false, upper: false },
      child,
    );
    const password = new random.RandomPassword(
      `${name}-root-password`,
      { length: 40, special: false, minLower: 1, minUpper: 1, minNumeric: 1 },
      child,
    );
    const secret = new k8s.core.v1.Secret(
      `${name}-root-credentials`,
      {
        metadata: {
          name: credentialsSecretName,
          namespace,
          labels: labelled('tenant'),
        },
        type: 'Opaque',
        stringData: {
          'config.env': pulumi
            .all([user.result, password.result])
            .apply(([u, p]) => minioConfigEnv(u, p)),
          MINIO_ROOT_USER: user.result,
          MINIO_ROOT_PASSWORD: password.result,
        },
      },
      child,
    );

    const operator = new k8s.helm.v3.Release(
      `${name}-operator`,
      {
        name: OPERATOR_RELEASE,
        ...MINIO_OPERATOR_CHART,
        repositoryOpts: { repo: MINIO_CHART_REPO },
        namespace: operatorNamespace,
        values: operatorValues(args.stack),
        skipAwait: false,
        atomic: true,
        cleanupOnFail: true,
      },
      child,
    );
    new k8s.networking.v1.NetworkPolicy(
      `${name}-operator-upgrades`,
      {
        metadata: {
          name: 'minio-operator-upgrades',
          namespace: operatorNamespace,
          labels: labelled('operator'),
        },
        spec: operatorNetworkPolicySpec(namespace),
      },
      child,
    );

    const tenant = new k8s.helm.v3.Release(
      `${name}-tenant`,
      {
        name: TENANT_RELEASE,
        ...MINIO_TENANT_CHART,
        repositoryOpts: { repo: MINIO_CHART_REPO },
        namespace,
        values,
        skipAwait: false,
        atomic: true,
        cleanupOnFail: true,
      },
      // The Tenant kind comes with the operator chart; the credentials must exist first.
      { ...child, dependsOn: [operator, secret] },
    );
    new k8s.networking.v1.NetworkPolicy(
      `${name}-s3`,
      {
        metadata: { name: 'minio-s3', namespace, labels: labelled('tenant') },
        spec: tenantNetworkPolicySpec({
          clientNamespace: args.clientNamespace ?? 'aia',
          operatorNamespace,
        }),
      },
      child,
    );

    this.endpoint = pulumi
      .all([tenant.id, namespace])
      .apply(([, ns]) => `https://minio.${ns}.svc.cluster.local`);
    this.credentialsSecretName = secret.metadata.name;
    this.buckets = tenant.id.apply(() => Object.keys(MINIO_BUCKETS));
    this.registerOutputs({
      endpoint: this.endpoint,
      credentialsSecretName: this.credentialsSecretName,
      buckets: this.buckets,
    });
  }
}
