import { createHash } from 'node:crypto';
import * as gcp from '@pulumi/gcp';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { ServiceDefinition, StackName } from '../../../services/catalog.js';
import { deploymentObjects } from './deployment-objects.js';
import type { RenderedEnvironment } from './environment.js';
import { serviceNetworkPolicy } from './network-policy.js';
import { type ConfigMapFiles, migrationPodTemplate, type PodTemplateArgs } from './pod-template.js';

/** A SHA-256 of variables' values, in key order: the same data gives the same digest. */
const digestOf = (variables: Readonly<Record<string, pulumi.Input<string>>>) =>
  pulumi.all(variables).apply((known) =>
    createHash('sha256')
      .update(JSON.stringify(Object.entries(known).sort(([a], [b]) => a.localeCompare(b))))
      .digest('hex'),
  );

/** The service's Google service account id (its email's local part): at most 30 characters. */
export const serviceAccountId = (service: string, stack: string): string =>
  `${service}-${stack}`.slice(0, 30);

export interface ServiceDeploymentArgs {
  readonly project: string;
  readonly stack: StackName;
  readonly namespace: pulumi.Input<string>;
  readonly definition: ServiceDefinition;
  readonly environment: RenderedEnvironment;
  /** Deployment key → image: `{ default: image }`, or `{ blue, green }` for blue-green. */
  readonly images: Readonly<Record<string, string>>;
  /** With blue-green: the key the stable Service routes to. */
  readonly activeColor?: string;
  /**
   * With blue-green: a replica-ratio canary in progress. The stable Service selects both colours
   * and each colour's HPA is held at its share of pods (`canarySplit`); `colour` is the new one.
   */
  readonly canary?: { readonly colour: string; readonly percent: number };
  /** Run the service's migrations as a Job before its Deployments roll. */
  readonly migrate: boolean;
  /** Annotations of the stable Service (load balancer backend settings for the gateway). */
  readonly serviceAnnotations?: Record<string, string>;
  /** Let the load balancer's ranges reach the pods (the gateway). */
  readonly public?: boolean;
  /** The kube-prometheus-stack release whose Prometheus scrapes the service. */
  readonly prometheusRelease: pulumi.Input<string>;
  /** Secret Manager secrets the service's Google service account may read. */
  readonly readableSecrets: Readonly<Record<string, pulumi.Input<string>>>;
  readonly shutdownTimeoutSeconds: number;
  readonly labels: Record<string, string>;
  /** ConfigMaps mounted read-only into the service's pods and its migration Job. Default none. */
  readonly files?: readonly ConfigMapFiles[];
  /** The Cloud Storage bucket the service reaches over the S3 API, and its role on it alone. */
  readonly bucket?: { readonly name: pulumi.Input<string>; readonly role: string };
}

/**
 * One catalog service on GKE: a Google service account bound through Workload Identity to the
 * service's Kubernetes service account, its ConfigMap and Secret, a migration Job, one Deployment
 * per colour with HPA and PodDisruptionBudget, a Service (plus one per colour), a ServiceMonitor
 * and a NetworkPolicy.
 */
export class ServiceDeployment extends pulumi.ComponentResource {
  readonly serviceName: pulumi.Output<string>;
  readonly googleServiceAccountEmail: pulumi.Output<string>;

  constructor(name: string, args: ServiceDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
    super('aia:platform:ServiceDeployment', name, {}, opts);
    const { definition, namespace } = args;
    const service = definition.name;
    const parent = { parent: this };

    const account = new gcp.serviceaccount.Account(
      `${name}-gsa`,
      {
        project: args.project,
        accountId: serviceAccountId(service, args.stack),
        displayName: `${service} (${args.stack})`,
      },
      parent,
    );
    new gcp.serviceaccount.IAMMember(
      `${name}-workload-identity`,
      {
        serviceAccountId: account.name,
        role: 'roles/iam.workloadIdentityUser',
        member: pulumi.interpolate`serviceAccount:${args.project}.svc.id.goog[${namespace}/${service}]`,
      },
      parent,
    );
    for (const [key, secretId] of Object.entries(args.readableSecrets)) {
      new gcp.secretmanager.SecretIamMember(
        `${name}-reads-${key}`,
        { secretId, role: 'roles/secretmanager.secretAccessor', member: account.member },
        parent,
      );
    }
    if (args.bucket) {
      // On the bucket, not the project: the service reaches no other bucket.
      new gcp.storage.BucketIAMMember(
        `${name}-bucket`,
        { bucket: args.bucket.name, role: args.bucket.role, member: account.member },
        parent,
      );
    }
    const serviceAccount = new k8s.core.v1.ServiceAccount(
      `${name}-ksa`,
      {
        metadata: {
          name: service,
          namespace,
          annotations: { 'iam.gke.io/gcp-service-account': account.email },
        },
        automountServiceAccountToken: false,
      },
      parent,
    );
    const configMap = new k8s.core.v1.ConfigMap(
      `${name}-env`,
      { metadata: { name: `${service}-env`, namespace }, data: args.environment.config },
      parent,
    );
    const secret = new k8s.core.v1.Secret(
      `${name}-secrets`,
      {
        metadata: { name: `${service}-env`, namespace },
        type: 'Opaque',
        stringData: args.environment.secrets,
      },
      parent,
    );

    const podArgs = (image: string, labels: Record<string, string>): PodTemplateArgs => ({
      definition,
      stack: args.stack,
      image,
      labels,
      serviceAccountName: service,
      envConfigMap: `${service}-env`,
      envSecret: `${service}-env`,
      shutdownTimeoutSeconds: args.shutdownTimeoutSeconds,
      files: args.files,
      envChecksums: {
        config: digestOf(args.environment.config),
        // A digest of secret values stays a secret output (encrypted in the state).
        secrets: digestOf(args.environment.secrets),
      },
    });
    const dependsOn: pulumi.Resource[] = [serviceAccount, configMap, secret];
    if (args.migrate) {
      for (const image of new Set(Object.values(args.images))) {
        // A new image gets a new Job (Jobs are immutable); the same image keeps the Job that ran.
        const version = createHash('sha256').update(image).digest('hex').slice(0, 10);
        dependsOn.push(
          new k8s.batch.v1.Job(
            `${name}-migrate-${version}`,
            {
              metadata: { name: `${service}-migrate-${version}`, namespace },
              spec: {
                backoffLimit: 2,
                activeDeadlineSeconds: 600,
                template: migrationPodTemplate(
                  podArgs(image, { 'app.kubernetes.io/name': `${service}-migrate` }),
                ),
              },
            },
            { ...parent, dependsOn: [serviceAccount, configMap, secret] },
          ),
        );
      }
    }
    deploymentObjects(this, name, { ...args, podArgs, dependsOn });
    serviceNetworkPolicy(this, name, {
      service,
      namespace,
      port: definition.port,
      public: args.public ?? false,
    });
    this.serviceName = pulumi.output(service);
    this.googleServiceAccountEmail = account.email;
    this.registerOutputs({
      serviceName: this.serviceName,
      googleServiceAccountEmail: this.googleServiceAccountEmail,
    });
  }
}
