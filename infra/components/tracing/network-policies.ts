import type * as k8s from '@pulumi/kubernetes';
import { JAEGER, OTEL_COLLECTOR, TRACING_PORTS } from './charts.js';

type NetworkPolicySpec = k8s.types.input.networking.v1.NetworkPolicySpec;

/** Pods of the collector and of Jaeger, by the labels their charts give them. */
export const COLLECTOR_PODS = {
  'app.kubernetes.io/name': OTEL_COLLECTOR.chart,
  'app.kubernetes.io/instance': OTEL_COLLECTOR.releaseName,
};
export const JAEGER_PODS = {
  'app.kubernetes.io/name': JAEGER.chart,
  'app.kubernetes.io/instance': JAEGER.releaseName,
};

const tcp = (...ports: number[]) => ports.map((port) => ({ protocol: 'TCP', port }));
const namespaces = (names: readonly string[]) => ({
  namespaceSelector: {
    matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [...names] }],
  },
});

/**
 * The flows the tracing namespace needs on top of its default deny, by policy name: OTLP from the
 * services' namespaces to the collector, the collector to Jaeger, Grafana to Jaeger's query API,
 * Prometheus to both metrics ports.
 */
export function tracingNetworkPolicies({
  otlpClientNamespaces,
  monitoringNamespace,
}: {
  readonly otlpClientNamespaces: readonly string[];
  readonly monitoringNamespace: string;
}): Record<string, NetworkPolicySpec> {
  const policy = (
    pods: Record<string, string>,
    from: object[],
    ports: number[],
  ): NetworkPolicySpec => ({
    podSelector: { matchLabels: pods },
    policyTypes: ['Ingress'],
    ingress: [{ from, ports: tcp(...ports) }],
  });
  const monitoring = namespaces([monitoringNamespace]);
  return {
    'allow-otlp-from-services': policy(
      COLLECTOR_PODS,
      [namespaces(otlpClientNamespaces)],
      [TRACING_PORTS.otlpGrpc, TRACING_PORTS.otlpHttp],
    ),
    'allow-jaeger-from-collector': policy(
      JAEGER_PODS,
      [{ podSelector: { matchLabels: COLLECTOR_PODS } }],
      [TRACING_PORTS.otlpGrpc],
    ),
    'allow-jaeger-query-from-monitoring': policy(
      JAEGER_PODS,
      [monitoring],
      [TRACING_PORTS.jaegerQuery],
    ),
    'allow-collector-metrics-from-monitoring': policy(
      COLLECTOR_PODS,
      [monitoring],
      [TRACING_PORTS.metrics],
    ),
    'allow-jaeger-metrics-from-monitoring': policy(
      JAEGER_PODS,
      [monitoring],
      [TRACING_PORTS.metrics],
    ),
  };
}
