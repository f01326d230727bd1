import type * as k8s from '@pulumi/kubernetes';
import { internetEgress, podsEgress, rangeEgress } from '../components/namespaces/index.js';

type EgressRule = k8s.types.input.networking.v1.NetworkPolicyEgressRule;

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443 };
/** `<service>.<namespace>.svc`, with or without the cluster domain. */
const CLUSTER_SERVICE =
  /^[a-z0-9]([a-z0-9-]*[a-z0-9])?\.([a-z0-9]([a-z0-9-]*[a-z0-9])?)\.svc(\.cluster\.local)?$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * What the LLM services need to reach an OpenAI-compatible endpoint (`llm.openaiCompatibleBaseUrl`)
 * beyond the providers' HTTPS on public addresses, on the URL's port (80 or 443 when it has none):
 *
 * - `<service>.<namespace>.svc[.cluster.local]`: the pods of that namespace. A NetworkPolicy sees
 *   the pod's port behind a Service, so the Service should expose the port its pods listen on.
 * - an IP address (a server in the VPC, say): that address alone.
 * - a one-label name (a Service of the services' own namespace): nothing, that namespace is open.
 * - any other name: public addresses on that port (nothing more on 443). A private address outside
 *   the cluster cannot be known from a name: write the address in the URL.
 */
export function llmEndpointEgress(baseUrl: string): EgressRule | undefined {
  const url = new URL(baseUrl);
  const port = url.port ? Number(url.port) : DEFAULT_PORTS[url.protocol];
  if (port === undefined) throw new Error(`${baseUrl} is not an http(s) URL`);
  const host = url.hostname;
  const inCluster = CLUSTER_SERVICE.exec(host);
  if (inCluster?.[2]) return podsEgress(inCluster[2], {}, [port]);
  if (IPV4.test(host)) return rangeEgress(`${host}/32`, [port]);
  if (host.startsWith('[')) return rangeEgress(`${host.slice(1, -1)}/128`, [port]);
  if (!host.includes('.') || port === 443) return undefined;
  return internetEgress([port]);
}
