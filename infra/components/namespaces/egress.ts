import type * as k8s from '@pulumi/kubernetes';

type NetworkPolicySpec = k8s.types.input.networking.v1.NetworkPolicySpec;
type EgressRule = k8s.types.input.networking.v1.NetworkPolicyEgressRule;
type Labels = Readonly<Record<string, string>>;

const tcp = (...ports: number[]) => ports.map((port) => ({ protocol: 'TCP', port }));
const inNamespace = (namespace: string) => ({
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
});

/** Nothing leaves a pod of the namespace unless another policy allows it. */
export const DEFAULT_DENY_EGRESS: NetworkPolicySpec = { podSelector: {}, policyTypes: ['Egress'] };

/** kube-dns, which GKE runs in kube-system (labelled k8s-app: kube-dns), on 53 UDP and TCP. */
export const dnsEgress = (): EgressRule => ({
  to: [{ ...inNamespace('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [
    { protocol: 'UDP', port: 53 },
    { protocol: 'TCP', port: 53 },
  ],
});

/**
 * The metadata server, which hands Workload Identity tokens to pods: GKE's metadata server
 * answers on 169.254.169.254:80 (Dataplane V2 intercepts it on the node), and on
 * 169.254.169.252:988 where GKE serves it from its own address.
 */
export const metadataServerEgress = (): EgressRule[] => [
  { to: [{ ipBlock: { cidr: '169.254.169.254/32' } }], ports: tcp(80) },
  { to: [{ ipBlock: { cidr: '169.254.169.252/32' } }], ports: tcp(988) },
];

/**
 * Google APIs through Private Google Access: private.googleapis.com (199.36.153.8/30), which
 * the VPC's private zone resolves every *.googleapis.com name to, and restricted.googleapis.com
 * (199.36.153.4/30) for VPC Service Controls.
 */
export const GOOGLE_API_RANGES = ['199.36.153.8/30', '199.36.153.4/30'] as const;
export const googleApisEgress = (): EgressRule => ({
  to: GOOGLE_API_RANGES.map((cidr) => ({ ipBlock: { cidr } })),
  ports: tcp(443),
});

/** What every namespace needs: name resolution and the pods' Google identity. */
export function baselineEgress(): Record<string, NetworkPolicySpec> {
  return {
    'allow-dns-egress': { podSelector: {}, policyTypes: ['Egress'], egress: [dnsEgress()] },
    'allow-metadata-server-egress': {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: metadataServerEgress(),
    },
  };
}

/** Pods of one namespace reaching pods of the same namespace (on any port). */
export const sameNamespaceEgress = (): NetworkPolicySpec => ({
  podSelector: {},
  policyTypes: ['Egress'],
  egress: [{ to: [{ podSelector: {} }] }],
});

/** Pods labelled `labels` in `namespace`, on `ports`. */
export const podsEgress = (
  namespace: string,
  labels: Labels,
  ports: readonly number[],
): EgressRule => ({
  to: [{ ...inNamespace(namespace), podSelector: { matchLabels: { ...labels } } }],
  ports: tcp(...ports),
});

/** A range outside the cluster, on `ports`. */
export const rangeEgress = (cidr: string, ports: readonly number[]): EgressRule => ({
  to: [{ ipBlock: { cidr } }],
  ports: tcp(...ports),
});

/** Private and link-local ranges, which "the internet" never means. */
const NOT_INTERNET = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16'];

/** Public addresses on `ports` (LLM providers, Slack, PagerDuty, SMTP): no internal range. */
export const internetEgress = (ports: readonly number[]): EgressRule => ({
  to: [{ ipBlock: { cidr: '0.0.0.0/0', except: NOT_INTERNET } }],
  ports: tcp(...ports),
});

/** One allow policy: `egress` rules for the pods `podSelector` picks (every pod by default). */
export const allowEgress = (
  egress: EgressRule[],
  podSelector: k8s.types.input.meta.v1.LabelSelector = {},
): NetworkPolicySpec => ({ podSelector, policyTypes: ['Egress'], egress });

/** Cloud SQL (5432, and 3307 for the Cloud SQL connector) and Memorystore (6378, TLS). */
export const PRIVATE_SERVICE_PORTS = [5432, 3307, 6378] as const;

/** The Kubernetes API server: its private endpoint in the control plane's range, on 443. */
export const apiServerEgress = (masterCidr: string): EgressRule => rangeEgress(masterCidr, [443]);
