import type * as k8s from '@pulumi/kubernetes';
import {
  brokerPodLabels,
  DEFAULT_CLUSTER_NAME,
  strimziClusterName,
  TLS_PORT,
} from './components/kafka/index.js';
import {
  allowEgress,
  apiServerEgress,
  googleApisEgress,
  internetEgress,
  PRIVATE_SERVICE_PORTS,
  podsEgress,
  rangeEgress,
  sameNamespaceEgress,
} from './components/namespaces/index.js';
import { NEO4J_BOLT_PORT, NEO4J_POD_SELECTOR } from './components/neo4j/index.js';
import { COLLECTOR_PODS, TRACING_PORTS } from './components/tracing/index.js';
import { llmEndpointEgress, llmServices } from './llm/index.js';

type Policies = Record<string, k8s.types.input.networking.v1.NetworkPolicySpec>;

export interface NamespaceEgressArgs {
  readonly namespaces: {
    readonly data: string;
    readonly kafka: string;
    readonly monitoring: string;
  };
  /** Cloud SQL and Memorystore's private services range. */
  readonly privateServicesCidr: string;
  /** The control plane's /28: the API server's private endpoint. */
  readonly masterCidr: string;
  /** The nodes' subnet: kubelets Prometheus scrapes. */
  readonly subnetCidr: string;
  /** Strimzi's Kafka cluster name (KafkaCluster's default). */
  readonly kafkaCluster?: string;
  /** `llm.openaiCompatibleBaseUrl`: an OpenAI-compatible server the LLM services call. */
  readonly llmEndpoint?: string;
}

const endpointEgress = (url: string | undefined) => {
  const rule = url === undefined ? undefined : llmEndpointEgress(url);
  return rule ? [rule] : [];
};

/**
 * What each namespace's pods may reach besides DNS and the metadata server (which every
 * namespace gets): the platform's data stores, telemetry and Google APIs for the services, the
 * API server for the operators, the cluster for Prometheus, the internet only for the services
 * that call LLM providers and for Alertmanager's receivers. Keyed by namespace concern.
 */
export function namespaceEgress(args: NamespaceEgressArgs): Record<string, Policies> {
  const { data, kafka, monitoring } = args.namespaces;
  const apiServer = allowEgress([apiServerEgress(args.masterCidr)]);
  return {
    services: {
      'allow-same-namespace-egress': sameNamespaceEgress(),
      'allow-data-stores-egress': allowEgress([
        rangeEgress(args.privateServicesCidr, PRIVATE_SERVICE_PORTS),
        podsEgress(data, NEO4J_POD_SELECTOR, [NEO4J_BOLT_PORT]),
        podsEgress(
          kafka,
          brokerPodLabels(strimziClusterName(args.kafkaCluster ?? DEFAULT_CLUSTER_NAME)),
          [TLS_PORT],
        ),
      ]),
      'allow-telemetry-egress': allowEgress([
        podsEgress(monitoring, COLLECTOR_PODS, [TRACING_PORTS.otlpGrpc, TRACING_PORTS.otlpHttp]),
      ]),
      'allow-google-apis-egress': allowEgress([googleApisEgress()]),
      // The providers' APIs on 443, and the stack's OpenAI-compatible server where it lives
      // (in the cluster, in the VPC, on another port).
      'allow-llm-providers-egress': allowEgress(
        [internetEgress([443]), ...endpointEgress(args.llmEndpoint)],
        {
          matchExpressions: [
            { key: 'app.kubernetes.io/name', operator: 'In', values: llmServices() },
          ],
        },
      ),
    },
    data: {
      'allow-same-namespace-egress': sameNamespaceEgress(),
      // Neo4j backups go to Cloud Storage.
      'allow-google-apis-egress': allowEgress([googleApisEgress()]),
      // Operators of the namespace watch and write their objects.
      'allow-api-server-egress': apiServer,
    },
    kafka: {
      'allow-same-namespace-egress': sameNamespaceEgress(),
      // Strimzi's cluster, topic and user operators.
      'allow-api-server-egress': apiServer,
    },
    monitoring: {
      'allow-same-namespace-egress': sameNamespaceEgress(),
      // Prometheus' service discovery, the operator, kube-state-metrics, Grafana's sidecar.
      'allow-api-server-egress': apiServer,
      // Prometheus scrapes pods of every namespace, and the kubelets (cAdvisor) on the nodes.
      'allow-scrape-egress': allowEgress([
        { to: [{ namespaceSelector: {} }] },
        rangeEgress(args.subnetCidr, [10250, 9100]),
      ]),
      // Alertmanager's receivers: Slack, PagerDuty, the dead-man's switch (443), SMTP (587).
      'allow-alert-receivers-egress': allowEgress([internetEgress([443, 587])]),
    },
    ingress: {},
  };
}
