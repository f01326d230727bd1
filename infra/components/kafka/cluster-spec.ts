import type * as pulumi from '@pulumi/pulumi';
import { minInSyncReplicas, replicationFactor } from '../../../services/events/topics.js';
import {
  CONTAINER_SECURITY_CONTEXT,
  KAFKA_VERSION,
  POD_SECURITY_CONTEXT,
  TLS_PORT,
} from './settings.js';

/**
 * Broker defaults derived from the broker count, for topics the catalog does not list (the
 * consumer offsets and transaction state included): the same replication rule as
 * `topicSpec`. Topics are created only through KafkaTopic resources.
 */
export function replicationConfig(brokers: number) {
  const replicas = replicationFactor(brokers);
  const inSync = minInSyncReplicas(replicas);
  return {
    'default.replication.factor': replicas,
    'min.insync.replicas': inSync,
    'offsets.topic.replication.factor': replicas,
    'transaction.state.log.replication.factor': replicas,
    'transaction.state.log.min.isr': inSync,
    'auto.create.topics.enable': false,
    'unclean.leader.election.enable': false,
  };
}

/** Requests and limits of the Topic and User Operator containers. */
export const ENTITY_OPERATOR_RESOURCES = {
  requests: { cpu: '100m', memory: '256Mi' },
  limits: { cpu: '500m', memory: '512Mi' },
} as const;

/**
 * The `spec` of the Kafka resource. One `internal` listener on 9093: TLS, SCRAM-SHA-512, and
 * reachable only from `clientNamespace` (Strimzi writes that into the NetworkPolicy it
 * generates). Simple authorization, so a client can do only what its KafkaUser's ACLs allow.
 * The cluster CA is the program's (`cluster-ca.ts`): Strimzi signs the brokers' certificates
 * with it and leaves its Secrets alone (no owner reference: deleting the Kafka keeps them).
 */
export function kafkaSpec({
  brokers,
  clientNamespace,
}: {
  readonly brokers: number;
  readonly clientNamespace: pulumi.Input<string>;
}) {
  return {
    clusterCa: { generateCertificateAuthority: false, generateSecretOwnerReference: false },
    kafka: {
      version: KAFKA_VERSION,
      listeners: [
        {
          name: 'tls',
          port: TLS_PORT,
          type: 'internal',
          tls: true,
          authentication: { type: 'scram-sha-512' },
          networkPolicyPeers: [
            {
              namespaceSelector: {
                matchLabels: { 'kubernetes.io/metadata.name': clientNamespace },
              },
            },
          ],
        },
      ],
      authorization: { type: 'simple' },
      config: replicationConfig(brokers),
      metricsConfig: { type: 'strimziMetricsReporter' },
      template: {
        // fsGroup 0 (Strimzi's default) lets the broker user write its volume.
        pod: { securityContext: POD_SECURITY_CONTEXT },
        kafkaContainer: { securityContext: CONTAINER_SECURITY_CONTEXT },
      },
    },
    // Consumer-group lag and topic offsets for Prometheus (`kafka_consumergroup_lag`).
    kafkaExporter: {
      topicRegex: '.*',
      groupRegex: '.*',
      resources: ENTITY_OPERATOR_RESOURCES,
      template: {
        pod: { securityContext: POD_SECURITY_CONTEXT },
        container: { securityContext: CONTAINER_SECURITY_CONTEXT },
      },
    },
    entityOperator: {
      topicOperator: { resources: ENTITY_OPERATOR_RESOURCES },
      userOperator: { resources: ENTITY_OPERATOR_RESOURCES },
      template: {
        pod: { securityContext: POD_SECURITY_CONTEXT },
        topicOperatorContainer: { securityContext: CONTAINER_SECURITY_CONTEXT },
        userOperatorContainer: { securityContext: CONTAINER_SECURITY_CONTEXT },
      },
    },
  };
}

/** What a node pool is made of: its size, per-node disk and the broker container's resources. */
export interface NodePoolSettings {
  readonly cluster: string;
  readonly pool: string;
  readonly brokers: number;
  readonly storageGb: number;
  readonly storageClass: string;
  readonly cpu: string;
  readonly memory: string;
}

/**
 * The `spec` of the KafkaNodePool: every node both KRaft controller and broker, one persistent
 * volume each that outlives the pool (`deleteClaim: false`), requests equal to limits, and the
 * nodes spread over zones.
 */
export function kafkaNodePoolSpec(settings: NodePoolSettings) {
  if (!Number.isInteger(settings.brokers) || settings.brokers < 1) {
    throw new Error(`Kafka needs a whole number of brokers, at least 1; got ${settings.brokers}`);
  }
  if (!Number.isInteger(settings.storageGb) || settings.storageGb < 1) {
    throw new Error(
      `Kafka storage must be a whole number of GB, at least 1; got ${settings.storageGb}`,
    );
  }
  const resources = { cpu: settings.cpu, memory: settings.memory };
  const selector = {
    matchLabels: { 'strimzi.io/cluster': settings.cluster, 'strimzi.io/pool-name': settings.pool },
  };
  return {
    replicas: settings.brokers,
    roles: ['controller', 'broker'],
    storage: {
      type: 'persistent-claim',
      size: `${settings.storageGb}Gi`,
      class: settings.storageClass,
      deleteClaim: false,
    },
    resources: { requests: resources, limits: resources },
    template: {
      pod: {
        topologySpreadConstraints: [
          {
            maxSkew: 1,
            topologyKey: 'topology.kubernetes.io/zone',
            whenUnsatisfiable: 'DoNotSchedule',
            labelSelector: selector,
          },
          {
            maxSkew: 1,
            topologyKey: 'kubernetes.io/hostname',
            whenUnsatisfiable: 'ScheduleAnyway',
            labelSelector: selector,
          },
        ],
      },
    },
  };
}

/** PodMonitor that has Prometheus scrape the Kafka Exporter of `cluster` (Strimzi's pod labels). */
export function kafkaExporterPodMonitor(cluster: string, namespace: string, release: string) {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: { name: `${cluster}-kafka-exporter`, namespace, labels: { release } },
    spec: {
      selector: { matchLabels: { 'strimzi.io/name': `${cluster}-kafka-exporter` } },
      podMetricsEndpoints: [{ port: 'tcp-prometheus', path: '/metrics' }],
    },
  };
}
