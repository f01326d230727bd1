/** One entry of the cluster's `masterAuthorizedNetworksConfig.cidrBlocks`. */
export interface AuthorizedNetworkBlock {
  readonly displayName: string;
  readonly cidrBlock: string;
}

/**
 * Turns the name → CIDR map of networks allowed to reach the Kubernetes API into CIDR blocks,
 * sorted by name. Throws if any entry is a /0 (such as 0.0.0.0/0): that opens the API server to
 * the whole internet.
 */
export function authorizedNetworkBlocks(
  networks: Readonly<Record<string, string>>,
): AuthorizedNetworkBlock[] {
  return Object.entries(networks)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([displayName, cidrBlock]) => {
      if (cidrBlock.trim().endsWith('/0')) {
        throw new Error(
          `Master authorized network "${displayName}" is ${cidrBlock}, which would open the ` +
            'Kubernetes API server to the whole internet; list the networks that need access instead.',
        );
      }
      return { displayName, cidrBlock };
    });
}
