export interface KubeconfigArgs {
  /** Cluster name; also the kubeconfig's cluster, user and context name. */
  readonly name: string;
  /** The API server's address, without a scheme. */
  readonly endpoint: string;
  /** Base64 cluster CA certificate (`masterAuth.clusterCaCertificate`). */
  readonly caCertificate: string;
}

/**
 * A kubeconfig (JSON, which is also YAML) for a GKE cluster that holds no credential: clients
 * authenticate through the `gke-gcloud-auth-plugin` exec plugin with their own Google identity.
 */
export function kubeconfigFor({ name, endpoint, caCertificate }: KubeconfigArgs): string {
  return JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name,
          cluster: { server: `https://${endpoint}`, 'certificate-authority-data': caCertificate },
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
