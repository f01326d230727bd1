import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';

/** Google's load balancer and health-check ranges: where container-native LB traffic comes from. */
export const GOOGLE_FRONT_END_RANGES = ['35.191.0.0/16', '130.211.0.0/22'];

/**
 * Who may reach a service's pods: the other services of its namespace, Prometheus from the
 * `monitoring` namespace, and — for the public gateway only — Google's load balancers.
 */
export function serviceNetworkPolicy(
  parentResource: pulumi.Resource,
  name: string,
  args: { service: string; namespace: pulumi.Input<string>; port: number; public: boolean },
): k8s.networking.v1.NetworkPolicy {
  const port = [{ protocol: 'TCP', port: args.port }];
  return new k8s.networking.v1.NetworkPolicy(
    `${name}-ingress`,
    {
      metadata: { name: `${args.service}-ingress`, namespace: args.namespace },
      spec: {
        podSelector: { matchLabels: { 'app.kubernetes.io/name': args.service } },
        policyTypes: ['Ingress'],
        ingress: [
          { from: [{ podSelector: {} }], ports: port },
          {
            from: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
              },
            ],
            ports: port,
          },
          ...(args.public
            ? [
                {
                  from: GOOGLE_FRONT_END_RANGES.map((cidr) => ({ ipBlock: { cidr } })),
                  ports: port,
                },
              ]
            : []),
        ],
      },
    },
    { parent: parentResource },
  );
}
