import type { ScrapeTarget } from '../../../local-servers/prometheus-server.js';

/**
 * A scrape target labelled as the Prometheus Operator labels a service's pod in the cluster: its
 * `namespace`, the Kubernetes Service's name as `service` (`aia-api-blue` for a colour; the
 * application's own `service` label wins with `honorLabels`, as the ServiceMonitors set it), and
 * the `pod`, named after its Deployment (`aia-api-blue-<replica set>-<pod>`).
 */
export function clusterTarget(
  address: string,
  { namespace, service, colour }: { namespace: string; service: string; colour?: string },
): ScrapeTarget {
  const deployment = colour ? `${service}-${colour}` : service;
  return {
    address,
    labels: { namespace, service: deployment, pod: `${deployment}-7d9f8c6b5-x2k4q` },
  };
}
