import type * as gcp from '@pulumi/gcp';
import { authorizedNetworkBlocks } from './authorized-networks.js';

/** Documentation ranges (RFC 5737): no real client has these addresses. */
const DOCUMENTATION_RANGES = ['192.0.2.', '198.51.100.', '203.0.113.'];

const isPrivate = (cidr: string) => /^(10\.|172\.(1[6-9]|2\d|3[01])\.|192\.168\.)/.test(cidr);

export interface ControlPlaneAccessArgs {
  /** /28 of the control plane's private endpoint (VPC peering with the nodes' network). */
  readonly masterCidr: string;
  /**
   * Internal networks that may reach the private IP endpoint besides the nodes, name → CIDR (a
   * runner or VPN inside the VPC). RFC 1918 only: the IP endpoint has no public address.
   */
  readonly masterAuthorizedNetworks: Readonly<Record<string, string>>;
}

type ClusterAccess = Pick<
  gcp.container.ClusterArgs,
  'privateClusterConfig' | 'masterAuthorizedNetworksConfig' | 'controlPlaneEndpointsConfig'
>;

/**
 * How the Kubernetes API is reached. People and CI outside the VPC use the DNS-based endpoint
 * (`gke-<hash>.<location>.gke.goog`): Google checks the caller's IAM permission
 * `container.clusters.connect` before a request reaches the API server, so no address list has to
 * name every runner (Google's CI ranges change; a documentation range such as 198.51.100.0/24
 * locks everyone out). Only Google OAuth tokens pass there: Kubernetes service-account tokens and
 * client certificates do not. The IP endpoint stays private, for the nodes and any internal
 * network listed. Throws, naming the entry, on a /0, a public or a documentation range.
 */
export function controlPlaneAccess(args: ControlPlaneAccessArgs): ClusterAccess {
  const cidrBlocks = authorizedNetworkBlocks(args.masterAuthorizedNetworks);
  for (const { displayName, cidrBlock } of cidrBlocks) {
    if (DOCUMENTATION_RANGES.some((prefix) => cidrBlock.startsWith(prefix))) {
      throw new Error(
        `Master authorized network "${displayName}" is ${cidrBlock}, a documentation range (RFC 5737) no real client uses; remove it: people and CI reach the cluster through its DNS endpoint with IAM.`,
      );
    }
    if (!isPrivate(cidrBlock)) {
      throw new Error(
        `Master authorized network "${displayName}" is ${cidrBlock}, a public range, but the control plane's IP endpoint is private; remove it: clients outside the VPC use the DNS endpoint with IAM.`,
      );
    }
  }
  return {
    privateClusterConfig: {
      enablePrivateNodes: true,
      // No public IP endpoint: outside the VPC, the DNS endpoint is the way in.
      enablePrivateEndpoint: true,
      masterIpv4CidrBlock: args.masterCidr,
    },
    masterAuthorizedNetworksConfig: { cidrBlocks, gcpPublicCidrsAccessEnabled: false },
    controlPlaneEndpointsConfig: {
      dnsEndpointConfig: {
        allowExternalTraffic: true,
        enableK8sTokensViaDns: false,
        enableK8sCertsViaDns: false,
      },
      ipEndpointsConfig: { enabled: true },
    },
  };
}

/** The DNS endpoint the cluster reports; throws when it reports none. */
export function dnsEndpointOf(
  clusterName: string,
  config: { dnsEndpointConfig?: { endpoint?: string } } | undefined,
): string {
  const endpoint = config?.dnsEndpointConfig?.endpoint;
  if (!endpoint) {
    throw new Error(
      `Cluster ${clusterName} reported no DNS endpoint: set controlPlaneEndpointsConfig.dnsEndpointConfig.allowExternalTraffic to true.`,
    );
  }
  return endpoint;
}
