import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import type { ServiceName, StackName } from '../../../services/catalog.js';
import { type TopicDefinition, topicSpec } from '../../../services/events/topics.js';
import { DEFAULT_SERVICES_NAMESPACE } from '../../config-schema.js';
import { ChartCrds } from '../crds/index.js';
import { kafkaClusterCa } from './cluster-ca.js';
import { kafkaNodePoolSpec, kafkaSpec } from './cluster-spec.js';
import { clientNetworkPolicySpec, metricsNetworkPolicySpec } from './network-policies.js';
import { STRIMZI_CHART, strimziOperatorValues } from './operator.js';
import {
  bootstrapAddress,
  clusterCaCertSecretName,
  DEFAULT_CLUSTER_NAME,
  kafkaLabels,
  NODE_POOL_NAME,
  STRIMZI_API_VERSION,
  strimziClusterName,
} from './settings.js';
import {
  kafkaClients,
  kafkaUserSpec,
  SCRAM_PASSWORD_KEY,
  scramPasswordSecretName,
} from './users.js';

/** What a service needs to log in: its KafkaUser's name and SCRAM password (a secret output). */
export interface KafkaClientCredentials {
  readonly username: pulumi.Output<string>;
  readonly password: pulumi.Output<string>;
}

export interface KafkaClusterArgs {
  /** Namespace of the operator, the cluster, its topics and users (created by the program). */
  readonly namespace: pulumi.Input<string>;
  /** Picks each topic's partition count. */
  readonly stack: StackName;
  /** KRaft nodes, each broker and controller: 3 in production, 1 on staging. */
  readonly brokers: number;
  /** Persistent volume per broker, in GB. */
  readonly storageGb: number;
  /** CPU and memory of each broker container, requested and limited alike (`2`, `8Gi`). */
  readonly cpu: string;
  readonly memory: string;
  /** Kubernetes labels for every object, beside the `app.kubernetes.io` set. */
  readonly labels: Readonly<Record<string, string>>;
  /** The topic catalog (`services/events/topics.ts`): one KafkaTopic per entry. */
  readonly topics: Readonly<Record<string, TopicDefinition>>;
  /** Strimzi cluster name, the prefix of its Services and Secrets. Default `DEFAULT_CLUSTER_NAME` (`aia`). */
  readonly clusterName?: string;
  /** Namespace the services connect from. Default the default services namespace (`aia`). */
  readonly clientNamespace?: pulumi.Input<string>;
  /** Namespace Prometheus scrapes from. Default `monitoring`. */
  readonly monitoringNamespace?: pulumi.Input<string>;
  /** Storage class of the broker volumes. Default `premium-rwo` (SSD persistent disk). */
  readonly storageClass?: string;
}

/** Strimzi waits for these; Pulumi waits for Strimzi: an update ends when the objects are Ready. */
const WAIT_FOR_READY = { 'pulumi.com/waitFor': 'condition=Ready' };

/**
 * Apache Kafka in KRaft mode, run by the Strimzi operator: one node pool of dual-role nodes,
 * a TLS + SCRAM-SHA-512 listener on 9093 as the only way in, a KafkaTopic per catalog topic,
 * and a KafkaUser per service whose ACLs name only that service's topics and consumer group.
 * The program makes the cluster CA and each user's password, so it can hand both to the
 * services in their own namespace (`clusterCaCertificate`, `clients`).
 */
export class KafkaCluster extends pulumi.ComponentResource {
  readonly clusterName: pulumi.Output<string>;
  /** `<cluster>-kafka-bootstrap.<namespace>.svc:9093`, once the cluster is Ready. */
  readonly bootstrapServers: pulumi.Output<string>;
  /** Names of the topics created. */
  readonly topics: pulumi.Output<string[]>;
  /** Service → Secret (in `namespace`) with its SCRAM `password` and `sasl.jaas.config`. */
  readonly userSecrets: pulumi.Output<Partial<Record<ServiceName, string>>>;
  /** Secret (in `namespace`) with the cluster CA certificate `ca.crt` clients trust. */
  readonly clusterCaCertSecret: pulumi.Output<string>;
  /** The cluster CA certificate (PEM) itself, for the services' namespace. */
  readonly clusterCaCertificate: pulumi.Output<string>;
  /** Service → its login, for every service that produces or consumes a topic. */
  readonly clients: Readonly<Partial<Record<ServiceName, KafkaClientCredentials>>>;

  constructor(name: string, args: KafkaClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('aia:platform:KafkaCluster', name, {}, opts);
    const cluster = strimziClusterName(args.clusterName ?? DEFAULT_CLUSTER_NAME);
    const namespace = args.namespace;
    const clientNamespace = args.clientNamespace ?? DEFAULT_SERVICES_NAMESPACE;
    const labels = (component: string) => kafkaLabels(args.labels, component);
    const ofCluster = (component: string) => ({
      ...labels(component),
      'strimzi.io/cluster': cluster,
    });

    // Helm installs a chart's CRDs once and never upgrades them: Pulumi applies the pinned
    // release's CRDs itself, before the operator that needs them.
    const crds = new ChartCrds(`${name}-crds`, { chart: STRIMZI_CHART }, { parent: this });
    const operator = new k8s.helm.v3.Release(
      `${name}-operator`,
      {
        name: 'strimzi',
        chart: STRIMZI_CHART.chart,
        version: STRIMZI_CHART.version,
        namespace,
        values: strimziOperatorValues(labels('operator')),
        skipCrds: true,
        atomic: true,
        skipAwait: false,
        timeout: 600,
      },
      { parent: this, dependsOn: [crds.manifest] },
    );

    // The program's cluster CA, in place before Strimzi first reconciles the Kafka resource.
    const clusterCa = kafkaClusterCa(
      name,
      { cluster, namespace, labels: labels('cluster-ca') },
      { parent: this },
    );

    const pool = new k8s.apiextensions.CustomResource(
      `${name}-node-pool`,
      {
        apiVersion: STRIMZI_API_VERSION,
        kind: 'KafkaNodePool',
        metadata: { name: NODE_POOL_NAME, namespace, labels: ofCluster('broker') },
        spec: kafkaNodePoolSpec({
          cluster,
          pool: NODE_POOL_NAME,
          brokers: args.brokers,
          storageGb: args.storageGb,
          storageClass: args.storageClass ?? 'premium-rwo',
          cpu: args.cpu,
          memory: args.memory,
        }),
      },
      { parent: this, dependsOn: [operator] },
    );

    const kafka = new k8s.apiextensions.CustomResource(
      `${name}-kafka`,
      {
        apiVersion: STRIMZI_API_VERSION,
        kind: 'Kafka',
        metadata: {
          name: cluster,
          namespace,
          labels: labels('broker'),
          // KRaft and node pools are the only mode of the v1 API: no opt-in annotations.
          annotations: WAIT_FOR_READY,
        },
        spec: kafkaSpec({ brokers: args.brokers, clientNamespace }),
      },
      {
        parent: this,
        dependsOn: [operator, pool, ...clusterCa.secrets],
        customTimeouts: { create: '30m', update: '30m' },
      },
    );

    const topics = Object.entries(args.topics).map(
      ([topic, definition]) =>
        new k8s.apiextensions.CustomResource(
          `${name}-topic-${topic}`,
          {
            apiVersion: STRIMZI_API_VERSION,
            kind: 'KafkaTopic',
            metadata: { name: topic, namespace, labels: ofCluster('topic') },
            spec: topicSpec(definition, args.stack, args.brokers),
          },
          { parent: this, dependsOn: [operator, kafka] },
        ),
    );

    const users = kafkaClients(args.topics).map((service) => {
      // Letters and digits only: the password travels in SASL messages and env files unquoted.
      const password = new random.RandomPassword(
        `${name}-${service}-scram-password`,
        { length: 32, special: false },
        { parent: this },
      );
      const passwordSecret = new k8s.core.v1.Secret(
        `${name}-${service}-scram-password`,
        {
          metadata: {
            name: scramPasswordSecretName(service),
            namespace,
            labels: labels('user'),
          },
          type: 'Opaque',
          stringData: { [SCRAM_PASSWORD_KEY]: password.result },
        },
        { parent: this },
      );
      const user = new k8s.apiextensions.CustomResource(
        `${name}-user-${service}`,
        {
          apiVersion: STRIMZI_API_VERSION,
          kind: 'KafkaUser',
          metadata: {
            name: service,
            namespace,
            labels: ofCluster('user'),
            annotations: WAIT_FOR_READY,
          },
          spec: kafkaUserSpec(service, args.topics),
        },
        { parent: this, dependsOn: [operator, kafka, passwordSecret] },
      );
      return [service, user, password.result] as const;
    });

    new k8s.networking.v1.NetworkPolicy(
      `${name}-clients`,
      {
        metadata: { name: `${cluster}-allow-clients`, namespace, labels: labels('network') },
        spec: clientNetworkPolicySpec(cluster, clientNamespace),
      },
      { parent: this },
    );
    new k8s.networking.v1.NetworkPolicy(
      `${name}-metrics`,
      {
        metadata: { name: `${cluster}-allow-metrics`, namespace, labels: labels('network') },
        spec: metricsNetworkPolicySpec(args.monitoringNamespace ?? 'monitoring'),
      },
      { parent: this },
    );

    this.clusterName = kafka.metadata.name;
    this.bootstrapServers = pulumi
      .all([kafka.metadata.name, kafka.metadata.namespace])
      .apply(([kafkaName, kafkaNamespace]) => bootstrapAddress(kafkaName, kafkaNamespace));
    this.clusterCaCertSecret = kafka.metadata.name.apply(clusterCaCertSecretName);
    this.clusterCaCertificate = clusterCa.certificate;
    this.clients = Object.fromEntries(
      users.map(([service, user, password]) => [
        service,
        { username: user.metadata.name, password: pulumi.secret(password) },
      ]),
    );
    this.topics = pulumi.all(topics.map((topic) => topic.metadata.name));
    this.userSecrets = pulumi
      .all(users.map(([service, user]) => user.metadata.name.apply((secret) => [service, secret])))
      .apply((entries) => Object.fromEntries(entries));
    this.registerOutputs({
      clusterName: this.clusterName,
      bootstrapServers: this.bootstrapServers,
      topics: this.topics,
      userSecrets: this.userSecrets,
      clusterCaCertSecret: this.clusterCaCertSecret,
      clusterCaCertificate: this.clusterCaCertificate,
    });
  }
}
