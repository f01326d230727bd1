import * as gcp from '@pulumi/gcp';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { DEFAULT_MAINTENANCE_WINDOW, gkeRecurringWindow } from '../../maintenance/window.js';
import { defaultNodeTag } from '../network/index.js';
import { controlPlaneAccess, dnsEndpointOf } from './control-plane-access.js';
import { binaryAuthorizationMode, clusterDefaults, nodePoolDefaults } from './defaults.js';
import { kubeconfigFor } from './kubeconfig.js';
import { clusterLocation } from './location.js';
import { nodeConfig } from './node-config.js';
import { nodeServiceAccountId, nodeServiceAccountRoles } from './node-service-account.js';

/** One autoscaling node pool. Node counts are per zone. */
export interface NodePoolSpec {
  readonly machineType: string;
  readonly minNodes: number;
  readonly maxNodes: number;
  readonly diskSizeGb: number;
  readonly diskType: string;
  /** Spot VMs: cheaper, reclaimable at any time. */
  readonly spot: boolean;
}

export interface GkeClusterArgs {
  readonly project: string;
  readonly region: string;
  /** Zones the nodes run in; a zonal cluster's control plane runs in the first. */
  readonly zones: readonly string[];
  /** Control plane replicated across the region's zones (location = region); else zones[0]. */
  readonly regional: boolean;
  /** Network and subnetwork id or self link (from `Network`). */
  readonly network: pulumi.Input<string>;
  readonly subnetwork: pulumi.Input<string>;
  /** Secondary range names of the subnetwork for pods and services. */
  readonly podsRangeName: pulumi.Input<string>;
  readonly servicesRangeName: pulumi.Input<string>;
  /** /28 for the control plane's private endpoint. */
  readonly masterCidr: string;
  /**
   * Internal networks (RFC 1918) that may reach the private IP endpoint: name → CIDR. People and
   * CI outside the VPC use the DNS endpoint with IAM instead; public, documentation and /0
   * ranges are refused.
   */
  readonly masterAuthorizedNetworks: Readonly<Record<string, string>>;
  readonly releaseChannel: 'RAPID' | 'REGULAR' | 'STABLE';
  /** Enforce the project's Binary Authorization policy on every image. */
  readonly binaryAuthorization: boolean;
  /**
   * Cloud KMS key (`ClusterSecretsKey.keyName`) that encrypts Kubernetes Secrets in etcd
   * (application-layer secrets encryption), in the cluster's region.
   */
  readonly secretsEncryptionKey: pulumi.Input<string>;
  /** Refuse to delete the cluster (Pulumi side). */
  readonly deletionProtection: boolean;
  /** Node pools keyed by a stable name, which is also the GKE pool name. */
  readonly nodePools: Readonly<Record<string, NodePoolSpec>>;
  /**
   * The weekly recurring window GKE upgrades the control plane and nodes in (RFC 5545 recurrence,
   * UTC times of its first occurrence); at least 12 hours, GKE's minimum of 48 hours per 32 days.
   * Default: Sunday 02:00–14:00 UTC, the platform's default window stretched to GKE's minimum.
   */
  readonly maintenanceWindow?: {
    readonly startTime: string;
    readonly endTime: string;
    readonly recurrence: string;
  };
  /** Google Cloud labels for the cluster, node VMs and disks. */
  readonly labels: Record<string, string>;
  /** Network tag on every node, which the node firewall rules target. Default: `gke-node`. */
  readonly nodeTag?: string;
}

/**
 * A private, VPC-native GKE Standard cluster: private nodes, an API server reached from outside
 * the VPC only through its DNS endpoint with IAM (`controlPlaneAccess`), Workload Identity, Shielded nodes, Dataplane V2, a release channel and
 * Binary Authorization when asked. Node pools are separate, autoscaling, auto-repaired and
 * auto-upgraded, and run as a dedicated least-privilege service account. `provider` deploys to it.
 */
export class GkeCluster extends pulumi.ComponentResource {
  readonly name: pulumi.Output<string>;
  /** The private IP endpoint, for clients inside the VPC. */
  readonly endpoint: pulumi.Output<string>;
  /** The DNS endpoint (`gke-<hash>.<location>.gke.goog`), authorised by IAM; the kubeconfig's. */
  readonly dnsEndpoint: pulumi.Output<string>;
  readonly location: pulumi.Output<string>;
  readonly caCertificate: pulumi.Output<string>;
  /** Secret: holds no credential, but names the DNS endpoint. */
  readonly kubeconfig: pulumi.Output<string>;
  readonly nodeServiceAccountEmail: pulumi.Output<string>;
  /** `<project>.svc.id.goog`, for binding Kubernetes service accounts to Google ones. */
  readonly workloadIdentityPool: pulumi.Output<string>;
  readonly provider: k8s.Provider;

  constructor(name: string, args: GkeClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validated before anything registers, so a bad argument leaves nothing half-built.
    const access = controlPlaneAccess(args);
    const { location, nodeLocations } = clusterLocation(args);
    const accountId = nodeServiceAccountId(name);
    super('aia:platform:GkeCluster', name, {}, opts);
    const { project, labels } = args;
    const child = { parent: this };
    const nodeTag = args.nodeTag ?? defaultNodeTag;
    const workloadPool = `${project}.svc.id.goog`;

    const account = new gcp.serviceaccount.Account(
      `${name}-nodes`,
      { project, accountId, displayName: `GKE nodes of ${name}` },
      child,
    );
    const grants = Object.entries(nodeServiceAccountRoles).map(
      ([key, role]) =>
        new gcp.projects.IAMMember(
          `${name}-nodes-${key}`,
          { project, role, member: account.member },
          child,
        ),
    );

    const cluster = new gcp.container.Cluster(
      `${name}-cluster`,
      {
        ...clusterDefaults,
        name: `${name}-cluster`,
        project,
        location,
        nodeLocations,
        network: args.network,
        subnetwork: args.subnetwork,
        ipAllocationPolicy: {
          clusterSecondaryRangeName: args.podsRangeName,
          servicesSecondaryRangeName: args.servicesRangeName,
        },
        ...access,
        workloadIdentityConfig: { workloadPool },
        releaseChannel: { channel: args.releaseChannel },
        binaryAuthorization: { evaluationMode: binaryAuthorizationMode(args.binaryAuthorization) },
        databaseEncryption: { state: 'ENCRYPTED', keyName: args.secretsEncryptionKey },
        deletionProtection: args.deletionProtection,
        resourceLabels: labels,
        nodeConfig: nodeConfig({ serviceAccount: account.email, nodeTag, labels }),
        maintenancePolicy: {
          recurringWindow: args.maintenanceWindow ?? gkeRecurringWindow(DEFAULT_MAINTENANCE_WINDOW),
        },
      },
      // The API reports the first remaining pool's settings as the cluster's nodeConfig.
      { ...child, dependsOn: grants, ignoreChanges: ['nodeConfig'] },
    );

    for (const [poolName, pool] of Object.entries(args.nodePools)) {
      new gcp.container.NodePool(
        `${name}-${poolName}`,
        {
          ...nodePoolDefaults,
          name: poolName,
          project,
          cluster: cluster.name,
          location: cluster.location,
          // Read at creation only; later changes to minNodes go to the autoscaler instead.
          initialNodeCount: Math.max(1, pool.minNodes),
          autoscaling: { minNodeCount: pool.minNodes, maxNodeCount: pool.maxNodes },
          nodeConfig: nodeConfig({
            ...pool,
            serviceAccount: account.email,
            nodeTag,
            labels,
            nodeLabels: { 'node-pool': poolName },
          }),
        },
        { ...child, dependsOn: grants, ignoreChanges: ['initialNodeCount'] },
      );
    }

    this.name = cluster.name;
    this.endpoint = cluster.endpoint;
    this.dnsEndpoint = cluster.controlPlaneEndpointsConfig.apply((config) =>
      dnsEndpointOf(name, config),
    );
    this.location = cluster.location;
    this.caCertificate = cluster.masterAuth.apply((auth) => {
      if (!auth.clusterCaCertificate)
        throw new Error(`Cluster ${name} reported no CA certificate.`);
      return auth.clusterCaCertificate;
    });
    this.kubeconfig = pulumi.secret(
      pulumi
        .all([cluster.name, this.dnsEndpoint])
        .apply(([clusterName, dnsEndpoint]) => kubeconfigFor({ name: clusterName, dnsEndpoint })),
    );
    this.nodeServiceAccountEmail = account.email;
    // Derived from the cluster so that whoever binds to the pool waits for it to exist.
    this.workloadIdentityPool = cluster.id.apply(() => workloadPool);
    this.provider = new k8s.Provider(
      `${name}-k8s`,
      { kubeconfig: this.kubeconfig, enableServerSideApply: true, deleteUnreachable: false },
      child,
    );

    this.registerOutputs({
      name: this.name,
      endpoint: this.endpoint,
      dnsEndpoint: this.dnsEndpoint,
      location: this.location,
      caCertificate: this.caCertificate,
      kubeconfig: this.kubeconfig,
      nodeServiceAccountEmail: this.nodeServiceAccountEmail,
      workloadIdentityPool: this.workloadIdentityPool,
    });
  }
}
