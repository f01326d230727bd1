import type * as k8s from '@pulumi/kubernetes';
import { loadBalancerIngressRule } from '../ingress/index.js';
import { KUBE_PROMETHEUS_STACK, monitoringServices } from './values.js';

type NetworkPolicySpec = k8s.types.input.networking.v1.NetworkPolicySpec;

/** The operator's admission webhook port (the chart's default, open to GKE's control plane). */
const WEBHOOK_PORT = 10250;

/**
 * The flows the monitoring namespace needs on top of its default deny, by policy name: its pods
 * among themselves (Grafana to Prometheus, Prometheus to Alertmanager and kube-state-metrics,
 * Alertmanager gossip), the load balancer to Grafana, the API server to the operator's webhook.
 */
export function monitoringNetworkPolicies(): Record<string, NetworkPolicySpec> {
  const { releaseName, chart } = KUBE_PROMETHEUS_STACK;
  const grafana = monitoringServices(releaseName).grafana;
  return {
    'allow-same-namespace': {
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: {} }] }],
    },
    'allow-grafana-from-load-balancer': {
      podSelector: {
        matchLabels: {
          'app.kubernetes.io/name': 'grafana',
          'app.kubernetes.io/instance': releaseName,
        },
      },
      policyTypes: ['Ingress'],
      ingress: [loadBalancerIngressRule(grafana.targetPort)],
    },
    // The API server's address is not a pod's: only the port narrows this one.
    'allow-operator-webhook': {
      podSelector: { matchLabels: { app: `${chart}-operator`, release: releaseName } },
      policyTypes: ['Ingress'],
      ingress: [{ ports: [{ protocol: 'TCP', port: WEBHOOK_PORT }] }],
    },
  };
}
