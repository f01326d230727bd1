export interface KubeconfigArgs {
  /** Cluster name; also the kubeconfig's cluster, user and context name. */
  readonly name: string;
  /** The cluster's DNS endpoint (`gke-<hash>.<location>.gke.goog`), without a scheme. */
  readonly dnsEndpoint: string;
}

/**
 * A kubeconfig (JSON, which is also YAML) for a GKE cluster's DNS endpoint that holds no
 * credential: clients authenticate through the `gke-gcloud-auth-plugin` exec plugin with their
 * own Google identity, which needs `container.clusters.connect` (docs/control-plane-access.md).
 * No CA data: the DNS endpoint presents a publicly trusted certificate, not the cluster CA's, as
 * `gcloud container clusters get-credentials --dns-endpoint` writes it.
 */
export function kubeconfigFor({ name, dnsEndpoint }: KubeconfigArgs): string {
  if (/^\d+(\.\d+){3}$/.test(dnsEndpoint) || dnsEndpoint.includes('://')) {
    throw new Error(
      `kubeconfig endpoint "${dnsEndpoint}" is not a DNS name: pass the cluster's controlPlaneEndpointsConfig.dnsEndpointConfig.endpoint`,
    );
  }
  return JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name,
          cluster: { server: `https://${dnsEndpoint}` },
        },
      ],
      contexts: [{ name, context: { cluster: name, user: name } }],
      'current-context': name,
      users: [
        {
          name,
          user: {
            exec: {
              apiVersion: 'client.authentication.k8s.io/v1beta1',
              command: 'gke-gcloud-auth-plugin',
              installHint:
                'Install gke-gcloud-auth-plugin: https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin',
              provideClusterInfo: true,
            },
          },
        },
      ],
    },
    null,
    2,
  );
}
