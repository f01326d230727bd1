import * as gcp from '@pulumi/gcp';
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { validateResourceOfType } from '@pulumi/policy';
import { isDefaultComputeServiceAccount } from './service-account.js';

/** `node pool 'general' of cluster 'aia-production-cluster'`, or the Pulumi name alone. */
const describePool = (pool: { name?: string; cluster?: string }, resourceName: string): string =>
  pool.cluster
    ? `GKE node pool '${pool.name ?? resourceName}' of cluster '${pool.cluster}'`
    : `GKE node pool '${pool.name ?? resourceName}'`;

export const nodePoolAutoRepair: ResourceValidationPolicy = {
  name: 'gcp-gke-node-pool-auto-repair',
  description: 'GKE node pools repair unhealthy nodes automatically.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(gcp.container.NodePool, (pool, args, report) => {
    // management.autoRepair defaults to true; only an explicit false turns it off.
    if (pool.management?.autoRepair === false) {
      report(
        `${describePool(pool, args.name)} has auto-repair off: set management.autoRepair to true.`,
      );
    }
  }),
};

export const nodePoolAutoUpgrade: ResourceValidationPolicy = {
  name: 'gcp-gke-node-pool-auto-upgrade',
  description: 'GKE node pools upgrade automatically with their release channel.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(gcp.container.NodePool, (pool, args, report) => {
    // management.autoUpgrade defaults to true; only an explicit false turns it off.
    if (pool.management?.autoUpgrade === false) {
      report(
        `${describePool(pool, args.name)} has auto-upgrade off: set management.autoUpgrade to true.`,
      );
    }
  }),
};

export const nodePoolSecureBoot: ResourceValidationPolicy = {
  name: 'gcp-gke-node-pool-secure-boot',
  description: 'GKE node pools boot shielded nodes with secure boot.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(gcp.container.NodePool, (pool, args, report) => {
    if (pool.nodeConfig?.shieldedInstanceConfig?.enableSecureBoot !== true) {
      report(
        `${describePool(pool, args.name)} boots without secure boot: set nodeConfig.shieldedInstanceConfig.enableSecureBoot to true.`,
      );
    }
  }),
};

export const nodePoolServiceAccount: ResourceValidationPolicy = {
  name: 'gcp-gke-node-pool-service-account',
  description: 'GKE node pools run as a dedicated service account, not the Compute Engine default.',
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(gcp.container.NodePool, (pool, args, report) => {
    const serviceAccount = pool.nodeConfig?.serviceAccount;
    if (isDefaultComputeServiceAccount(serviceAccount)) {
      report(
        `${describePool(pool, args.name)} runs as the Compute Engine default service account (nodeConfig.serviceAccount ${serviceAccount ? `'${serviceAccount}'` : 'unset'}): set nodeConfig.serviceAccount to a dedicated least-privilege service account.`,
      );
    }
  }),
};

export const nodePoolPrivateNodes: ResourceValidationPolicy = {
  name: 'gcp-gke-node-pool-private-nodes',
  description:
    "GKE node pools do not give their nodes public IP addresses against the cluster's setting.",
  enforcementLevel: 'mandatory',
  validateResource: validateResourceOfType(gcp.container.NodePool, (pool, args, report) => {
    if (pool.networkConfig?.enablePrivateNodes === false) {
      report(
        `${describePool(pool, args.name)} gives its nodes public IP addresses: remove networkConfig.enablePrivateNodes or set it to true.`,
      );
    }
  }),
};

export const nodePoolPolicies: ResourceValidationPolicy[] = [
  nodePoolAutoRepair,
  nodePoolAutoUpgrade,
  nodePoolSecureBoot,
  nodePoolServiceAccount,
  nodePoolPrivateNodes,
];
