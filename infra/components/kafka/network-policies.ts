import type * as pulumi from '@pulumi/pulumi';
import {
  brokerPodLabels,
  KAFKA_METRICS_PORT,
  OPERATOR_METRICS_PORT,
  TLS_PORT,
  USER_OPERATOR_METRICS_PORT,
} from './settings.js';

const fromNamespace = (namespace: pulumi.Input<string>) => ({
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
});

const tcp = (port: number) => ({ protocol: 'TCP', port });

/** The services' namespace may reach the brokers' TLS listener, and no other port. */
export function clientNetworkPolicySpec(cluster: string, clientNamespace: pulumi.Input<string>) {
  return {
    podSelector: { matchLabels: brokerPodLabels(cluster) },
    policyTypes: ['Ingress'],
    ingress: [{ from: [fromNamespace(clientNamespace)], ports: [tcp(TLS_PORT)] }],
  };
}

/**
 * Prometheus may scrape the brokers, the Topic and User Operators (pods of kind `Kafka`) and the
 * cluster operator, on their metrics ports only.
 */
export function metricsNetworkPolicySpec(monitoringNamespace: pulumi.Input<string>) {
  return {
    podSelector: {
      matchExpressions: [
        { key: 'strimzi.io/kind', operator: 'In', values: ['Kafka', 'cluster-operator'] },
      ],
    },
    policyTypes: ['Ingress'],
    ingress: [
      {
        from: [fromNamespace(monitoringNamespace)],
        ports: [KAFKA_METRICS_PORT, OPERATOR_METRICS_PORT, USER_OPERATOR_METRICS_PORT].map(tcp),
      },
    ],
  };
}
