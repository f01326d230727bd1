import type * as gcp from '@pulumi/gcp';

/**
 * Settings every cluster gets, whatever the stack: the secure choice, written once. The
 * component merges the per-stack arguments over these.
 */
export const clusterDefaults = {
  // Node pools are managed separately; the default pool exists only while the cluster is created.
  removeDefaultNodePool: true,
  initialNodeCount: 1,
  networkingMode: 'VPC_NATIVE',
  // Dataplane V2 (eBPF), which also enforces NetworkPolicy.
  datapathProvider: 'ADVANCED_DATAPATH',
  enableShieldedNodes: true,
  enableLegacyAbac: false,
  masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
  addonsConfig: {
    httpLoadBalancing: { disabled: false },
    horizontalPodAutoscaling: { disabled: false },
    gcePersistentDiskCsiDriverConfig: { enabled: true },
    // The Calico add-on conflicts with Dataplane V2, which enforces NetworkPolicy itself.
    networkPolicyConfig: { disabled: true },
  },
  // The VerticalPodAutoscaler API and recommender: every service has a VPA in recommendation
  // mode (updateMode Off), whose recommendations tell when the catalog's sizes should move.
  verticalPodAutoscaling: { enabled: true },
  loggingConfig: { enableComponents: ['SYSTEM_COMPONENTS', 'APISERVER', 'WORKLOADS'] },
  monitoringConfig: {
    enableComponents: ['SYSTEM_COMPONENTS', 'APISERVER', 'SCHEDULER', 'CONTROLLER_MANAGER'],
  },
  // Configuration audit stays (BASIC). GKE removed basic workload vulnerability scanning
  // (VULNERABILITY_BASIC, July 2025) and deprecated Advanced Vulnerability Insights
  // (VULNERABILITY_ENTERPRISE, removal June 2026): images are scanned where they are pushed, by
  // Artifact Analysis on the Artifact Registry repository (components/artifact-registry).
  securityPostureConfig: { mode: 'BASIC', vulnerabilityMode: 'VULNERABILITY_DISABLED' },
} satisfies gcp.container.ClusterArgs;

/** Node pool settings every pool gets. */
export const nodePoolDefaults = {
  management: { autoRepair: true, autoUpgrade: true },
  // One extra node at a time and none taken away: upgrades never shrink capacity.
  upgradeSettings: { strategy: 'SURGE', maxSurge: 1, maxUnavailable: 0 },
} satisfies Partial<gcp.container.NodePoolArgs>;

/** Maps the binaryAuthorization switch to the cluster's evaluation mode. */
export function binaryAuthorizationMode(enforce: boolean): string {
  return enforce ? 'PROJECT_SINGLETON_POLICY_ENFORCE' : 'DISABLED';
}
