import type * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import {
  OPERATOR_POD_SELECTOR,
  OPERATOR_UPGRADE_PORT,
  S3_PORT,
  TENANT_POD_SELECTOR,
} from './settings.js';

type Spec = k8s.types.input.networking.v1.NetworkPolicySpec;

const inNamespace = (namespace: pulumi.Input<string>) => ({
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
});

/**
 * The S3 API (9000) of the tenant's pods: open to the client namespace, to the other servers of
 * the tenant (distributed MinIO talks to itself on the same port) and to the operator, which
 * checks health and creates buckets through it, and to Prometheus in `monitoring` for metrics.
 * The console port stays closed.
 */
export function tenantNetworkPolicySpec(args: {
  clientNamespace: pulumi.Input<string>;
  operatorNamespace: pulumi.Input<string>;
}): Spec {
  return {
    podSelector: { matchLabels: { ...TENANT_POD_SELECTOR } },
    policyTypes: ['Ingress'],
    ingress: [
      {
        from: [
          inNamespace(args.clientNamespace),
          { podSelector: { matchLabels: { ...TENANT_POD_SELECTOR } } },
          {
            ...inNamespace(args.operatorNamespace),
            podSelector: { matchLabels: { ...OPERATOR_POD_SELECTOR } },
          },
          // Prometheus reads /minio/v2/metrics/cluster on the same port.
          inNamespace('monitoring'),
        ],
        ports: [{ protocol: 'TCP', port: S3_PORT }],
      },
    ],
  };
}

/** The operator's upgrade endpoint (4221), where tenant pods fetch a new MinIO binary. */
export function operatorNetworkPolicySpec(tenantNamespace: pulumi.Input<string>): Spec {
  return {
    podSelector: { matchLabels: { ...OPERATOR_POD_SELECTOR } },
    policyTypes: ['Ingress'],
    ingress: [
      {
        from: [
          {
            ...inNamespace(tenantNamespace),
            podSelector: { matchLabels: { ...TENANT_POD_SELECTOR } },
          },
        ],
        ports: [{ protocol: 'TCP', port: OPERATOR_UPGRADE_PORT }],
      },
    ],
  };
}
