/** The network tag GKE nodes carry, which the node firewall rules target. */
export const defaultNodeTag = 'gke-node';

/**
 * Where Google Cloud load balancer health checks come from
 * (https://cloud.google.com/load-balancing/docs/health-check-concepts#ip-ranges).
 */
export const googleHealthCheckRanges = ['35.191.0.0/16', '130.211.0.0/22'] as const;

/** Ports the GKE control plane calls on nodes: admission webhooks (443, 8443, 9443), kubelet. */
export const controlPlaneToNodePorts = ['443', '8443', '9443', '10250'] as const;

/** The catalog's service ports (8000–8005) with room for more. */
export const defaultServingPorts = ['8000-8099'] as const;

/** One protocol, optionally narrowed to ports. */
export interface FirewallProtocol {
  readonly protocol: string;
  readonly ports?: string[];
}

/** An ingress rule, in the argument names of `gcp.compute.Firewall`. */
export interface FirewallRule {
  readonly description: string;
  readonly direction: 'INGRESS';
  readonly priority: number;
  readonly sourceRanges: string[];
  readonly targetTags?: string[];
  readonly allows?: FirewallProtocol[];
  readonly denies?: FirewallProtocol[];
  readonly logConfig?: { readonly metadata: 'INCLUDE_ALL_METADATA' | 'EXCLUDE_ALL_METADATA' };
}

export interface FirewallRulesArgs {
  readonly subnetCidr: string;
  readonly podsCidr: string;
  /** The GKE control plane's /28. */
  readonly masterCidr: string;
  /** Default: {@link defaultNodeTag}. */
  readonly nodeTag?: string;
  /** Ports load balancer health checks may reach on nodes and pods. Default: {@link defaultServingPorts}. */
  readonly servingPorts?: readonly string[];
}

/**
 * Least-privilege ingress rules for a GKE network, keyed by stable names: node and pod traffic
 * within the subnet, the control plane to nodes, health checks to the serving ports, and a logged
 * deny-all beneath them. Only the deny names 0.0.0.0/0 as a source.
 */
export function firewallRules({
  subnetCidr,
  podsCidr,
  masterCidr,
  nodeTag = defaultNodeTag,
  servingPorts = defaultServingPorts,
}: FirewallRulesArgs): Record<string, FirewallRule> {
  const toNodes = { direction: 'INGRESS' as const, priority: 1000, targetTags: [nodeTag] };
  return {
    'allow-internal': {
      ...toNodes,
      description: 'Nodes and pods talk to each other within the subnet.',
      sourceRanges: [subnetCidr, podsCidr],
      allows: [{ protocol: 'tcp' }, { protocol: 'udp' }, { protocol: 'icmp' }],
    },
    'allow-control-plane': {
      ...toNodes,
      description: 'The GKE control plane reaches kubelets and admission webhooks on nodes.',
      sourceRanges: [masterCidr],
      allows: [{ protocol: 'tcp', ports: [...controlPlaneToNodePorts] }],
    },
    'allow-health-checks': {
      ...toNodes,
      description: 'Google Cloud load balancer health checks reach the serving ports.',
      sourceRanges: [...googleHealthCheckRanges],
      allows: [{ protocol: 'tcp', ports: [...servingPorts] }],
    },
    'deny-all-ingress': {
      direction: 'INGRESS',
      // Just ahead of the implied deny (65535), so what it drops is logged; every allow outranks it.
      priority: 65534,
      description: 'Everything not allowed above is dropped and logged.',
      sourceRanges: ['0.0.0.0/0'],
      denies: [{ protocol: 'all' }],
      logConfig: { metadata: 'INCLUDE_ALL_METADATA' },
    },
  };
}
