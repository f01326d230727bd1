import type * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import { NEO4J_BOLT_PORT, NEO4J_RELEASE, neo4jLabels } from './settings.js';

/** The labels the chart puts on the Neo4j server pod (and selects its Service's endpoints by). */
export const NEO4J_POD_SELECTOR = {
  app: NEO4J_RELEASE,
  'helm.neo4j.com/instance': NEO4J_RELEASE,
} as const;

const { 'app.kubernetes.io/name': app, 'app.kubernetes.io/component': component } =
  neo4jLabels('backup');
const backupPods = { 'app.kubernetes.io/name': app, 'app.kubernetes.io/component': component };

/**
 * Bolt (7687) from the client namespace's pods and from this namespace's backup job; nothing
 * else. HTTP (7474) is allowed from nowhere, and the server does not listen on it either. The
 * community edition has no Prometheus endpoint, so there is no scrape rule.
 */
export function neo4jNetworkPolicySpec(
  clientNamespace: pulumi.Input<string>,
): k8s.types.input.networking.v1.NetworkPolicySpec {
  return {
    podSelector: { matchLabels: { ...NEO4J_POD_SELECTOR } },
    policyTypes: ['Ingress'],
    ingress: [
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': clientNamespace } },
          },
          { podSelector: { matchLabels: backupPods } },
        ],
        ports: [{ protocol: 'TCP', port: NEO4J_BOLT_PORT }],
      },
    ],
  };
}
