import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { parseCidr } from './cidr.js';
import { defaultNodeTag, firewallRules } from './firewall-rules.js';
import { privateGoogleApisZone } from './private-google-apis.js';

/** Names of the subnet's secondary ranges, which the GKE cluster's IP allocation policy uses. */
export const podsRangeName = 'pods';
export const servicesRangeName = 'services';

export interface NetworkArgs {
  readonly project: string;
  readonly region: string;
  /** Primary range of the node subnet. */
  readonly subnetCidr: string;
  /** Secondary range for pod IPs (named {@link podsRangeName}). */
  readonly podsCidr: string;
  /** Secondary range for Service cluster IPs (named {@link servicesRangeName}). */
  readonly servicesCidr: string;
  /** The GKE control plane's /28, allowed to reach nodes on 443, 8443, 9443 and 10250. */
  readonly masterCidr: string;
  /** Reserved for private services access (Cloud SQL, Memorystore), such as `10.30.0.0/16`. */
  readonly privateServicesCidr: string;
  /** Labels for the resources that take them. */
  readonly labels: Record<string, string>;
  /** Network tag of GKE nodes, which the node firewall rules target. Default: `gke-node`. */
  readonly nodeTag?: string;
  /** Ports load balancer health checks may reach on nodes and pods. Default: `8000-8099`. */
  readonly servingPorts?: readonly string[];
}

/**
 * A custom-mode VPC for one GKE cluster and its managed data stores: one regional subnet with
 * pod and service secondary ranges, private Google access and flow logs; Cloud NAT for egress
 * (nodes have no public IPs); private services access for Cloud SQL and Memorystore; and
 * least-privilege ingress firewall rules ending in a logged deny-all.
 */
export class Network extends pulumi.ComponentResource {
  readonly network: gcp.compute.Network;
  readonly networkId: pulumi.Output<string>;
  readonly subnetwork: gcp.compute.Subnetwork;
  readonly podsRangeName: string = podsRangeName;
  readonly servicesRangeName: string = servicesRangeName;
  /** Cloud SQL and Memorystore instances depend on this before they take a private IP. */
  readonly privateServicesConnection: gcp.servicenetworking.Connection;
  readonly nodeTag: string;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super('aia:platform:Network', name, {}, opts);
    const { project, region } = args;
    const child = { parent: this };
    this.nodeTag = args.nodeTag ?? defaultNodeTag;

    this.network = new gcp.compute.Network(
      `${name}-vpc`,
      { name: `${name}-vpc`, project, autoCreateSubnetworks: false, routingMode: 'REGIONAL' },
      child,
    );
    this.networkId = this.network.id;

    this.subnetwork = new gcp.compute.Subnetwork(
      `${name}-subnet`,
      {
        name: `${name}-subnet`,
        project,
        region,
        network: this.network.id,
        ipCidrRange: args.subnetCidr,
        secondaryIpRanges: [
          { rangeName: podsRangeName, ipCidrRange: args.podsCidr },
          { rangeName: servicesRangeName, ipCidrRange: args.servicesCidr },
        ],
        // Nodes have no public IPs: Google APIs are reached over the internal network.
        privateIpGoogleAccess: true,
        logConfig: {
          aggregationInterval: 'INTERVAL_5_SEC',
          flowSampling: 0.5,
          metadata: 'INCLUDE_ALL_METADATA',
        },
      },
      child,
    );

    const router = new gcp.compute.Router(
      `${name}-router`,
      { name: `${name}-router`, project, region, network: this.network.id },
      child,
    );
    new gcp.compute.RouterNat(
      `${name}-nat`,
      {
        name: `${name}-nat`,
        project,
        region,
        router: router.name,
        natIpAllocateOption: 'AUTO_ONLY',
        sourceSubnetworkIpRangesToNat: 'ALL_SUBNETWORKS_ALL_IP_RANGES',
        logConfig: { enable: true, filter: 'ERRORS_ONLY' },
      },
      child,
    );

    const privateServicesRange = new gcp.compute.GlobalAddress(
      `${name}-private-services`,
      {
        name: `${name}-private-services`,
        project,
        network: this.network.id,
        purpose: 'VPC_PEERING',
        addressType: 'INTERNAL',
        ...parseCidr(args.privateServicesCidr),
        labels: args.labels,
      },
      child,
    );
    this.privateServicesConnection = new gcp.servicenetworking.Connection(
      `${name}-private-services-connection`,
      {
        network: this.network.id,
        service: 'servicenetworking.googleapis.com',
        reservedPeeringRanges: [privateServicesRange.name],
        // Deleting the peering fails while producer services still hold it, which Cloud SQL and
        // Memorystore do for days after their instances are deleted: `pulumi destroy` forgets the
        // connection instead, and Google removes the peering with the network.
        deletionPolicy: 'ABANDON',
      },
      child,
    );

    privateGoogleApisZone(
      name,
      { project, network: this.network.id, labels: args.labels },
      { parent: this },
    );

    const rules = firewallRules({ ...args, nodeTag: this.nodeTag });
    for (const [key, rule] of Object.entries(rules)) {
      new gcp.compute.Firewall(
        `${name}-${key}`,
        { ...rule, name: `${name}-${key}`, project, network: this.network.id },
        child,
      );
    }

    this.registerOutputs({
      networkId: this.networkId,
      subnetwork: this.subnetwork.id,
      podsRangeName: this.podsRangeName,
      servicesRangeName: this.servicesRangeName,
      privateServicesConnection: this.privateServicesConnection.id,
      nodeTag: this.nodeTag,
    });
  }
}
