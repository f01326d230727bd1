import type * as gcp from '@pulumi/gcp';
import type * as pulumi from '@pulumi/pulumi';

export interface NodeConfigArgs {
  /** Email of the dedicated node service account; never the default compute account. */
  readonly serviceAccount: pulumi.Input<string>;
  /** Network tag the node firewall rules target. */
  readonly nodeTag: string;
  /** Google Cloud labels for the node VMs and disks. */
  readonly labels: Record<string, string>;
  readonly machineType?: string;
  readonly diskSizeGb?: number;
  readonly diskType?: string;
  /** Default: false. */
  readonly spot?: boolean;
  /** Kubernetes labels for the nodes. Default: none. */
  readonly nodeLabels?: Record<string, string>;
}

/**
 * The node settings every pool shares, the removed default pool included: COS with containerd,
 * the dedicated service account with the cloud-platform scope (IAM roles do the limiting), Shielded
 * VM with secure boot and integrity monitoring, the GKE metadata server (Workload Identity; no
 * node credentials for pods) and no legacy metadata endpoints.
 */
export function nodeConfig(args: NodeConfigArgs): gcp.types.input.container.NodePoolNodeConfig {
  return {
    machineType: args.machineType,
    diskSizeGb: args.diskSizeGb,
    diskType: args.diskType,
    imageType: 'COS_CONTAINERD',
    serviceAccount: args.serviceAccount,
    oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'],
    shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
    workloadMetadataConfig: { mode: 'GKE_METADATA' },
    spot: args.spot ?? false,
    tags: [args.nodeTag],
    labels: args.nodeLabels,
    resourceLabels: args.labels,
    metadata: { 'disable-legacy-endpoints': 'true' },
  };
}
