import * as gcp from '@pulumi/gcp';
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { validateResourceOfType } from '@pulumi/policy';
import { isDefaultComputeServiceAccount } from './service-account.js';

export const gkeWorkloadIdentity: ResourceValidationPolicy = {
  name: 'gcp-gke-workload-identity',
  description: 'GKE clusters have Workload Identity, so pods never use the node service account.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(gcp.container.Cluster, (cluster, args, report) => {
    if (!cluster.workloadIdentityConfig?.workloadPool) {
      const pool = `${cluster.project ?? '<project>'}.svc.id.goog`;
      report(
        `GKE cluster '${cluster.name ?? args.name}' has no Workload Identity pool: set workloadIdentityConfig.workloadPool to '${pool}'.`,
      );
    }
  }),
};

export const gkeShieldedNodes: ResourceValidationPolicy = {
  name: 'gcp-gke-shielded-nodes',
  description: 'GKE clusters keep shielded nodes on.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(gcp.container.Cluster, (cluster, args, report) => {
    // The provider defaults enableShieldedNodes to true; only an explicit false turns it off.
    if (cluster.enableShieldedNodes === false) {
      report(
        `GKE cluster '${cluster.name ?? args.name}' turns shielded nodes off: set enableShieldedNodes to true.`,
      );
    }
  }),
};

export const gkeReleaseChannel: ResourceValidationPolicy = {
  name: 'gcp-gke-release-channel',
  description:
    'GKE clusters are enrolled in a release channel, so Google patches them on schedule.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(gcp.container.Cluster, (cluster, args, report) => {
    const channel = cluster.releaseChannel?.channel;
    if (!channel || channel === 'UNSPECIFIED') {
      report(
        `GKE cluster '${cluster.name ?? args.name}' is not enrolled in a release channel (channel ${channel ?? 'unset'}): set releaseChannel.channel to STABLE, REGULAR or RAPID.`,
      );
    }
  }),
};

export const gkeDefaultNodePool: ResourceValidationPolicy = {
  name: 'gcp-gke-default-node-pool',
  description:
    'GKE clusters remove their default node pool, or run it with a dedicated service account and secure boot.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(gcp.container.Cluster, (cluster, args, report) => {
    // Autopilot clusters have no node pools of their own to remove or configure.
    if (cluster.removeDefaultNodePool === true || cluster.enableAutopilot === true) return;
    const name = cluster.name ?? args.name;
    const nodeConfig = cluster.nodeConfig;
    if (isDefaultComputeServiceAccount(nodeConfig?.serviceAccount)) {
      report(
        `GKE cluster '${name}' keeps a default node pool that runs as the Compute Engine default service account: set removeDefaultNodePool to true and declare node pools separately, or set nodeConfig.serviceAccount to a dedicated least-privilege service account.`,
      );
    }
    if (nodeConfig?.shieldedInstanceConfig?.enableSecureBoot !== true) {
      report(
        `GKE cluster '${name}' keeps a default node pool without secure boot: set removeDefaultNodePool to true, or set nodeConfig.shieldedInstanceConfig.enableSecureBoot to true.`,
      );
    }
  }),
};

/** Workload vulnerability modes GKE removed (BASIC, July 2025) or deprecated (ENTERPRISE). */
const RETIRED_VULNERABILITY_MODES = ['VULNERABILITY_BASIC', 'VULNERABILITY_ENTERPRISE'];

export const gkeSupportedSecurityPosture: ResourceValidationPolicy = {
  name: 'gcp-gke-supported-security-posture',
  description:
    'GKE clusters ask only for security posture features GKE still offers, so the cluster can be created.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(gcp.container.Cluster, (cluster, args, report) => {
    const mode = cluster.securityPostureConfig?.vulnerabilityMode;
    if (mode && RETIRED_VULNERABILITY_MODES.includes(mode)) {
      report(
        `GKE cluster '${cluster.name ?? args.name}' asks for workload vulnerability scanning ${mode}, which GKE no longer offers: set securityPostureConfig.vulnerabilityMode to VULNERABILITY_DISABLED and scan images with Artifact Analysis in Artifact Registry.`,
      );
    }
  }),
};

export const gkeHardeningPolicies: ResourceValidationPolicy[] = [
  gkeWorkloadIdentity,
  gkeShieldedNodes,
  gkeReleaseChannel,
  gkeDefaultNodePool,
  gkeSupportedSecurityPosture,
];
