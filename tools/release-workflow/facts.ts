import { imageRepositoryOf } from '../../infra/components/binary-authorization/index.js';
import type { StackOutputs } from '../../infra/outputs.js';
import { gatewayUrlOf } from '../smoke/stack-gateway.js';

/**
 * What the release workflow's later steps need from a stack, from its outputs only (no address is
 * written into the workflow): `key=value` lines for `$GITHUB_OUTPUT`.
 */
export function releaseFacts(
  outputs: Pick<
    StackOutputs,
    'edge' | 'namespaces' | 'services' | 'release' | 'project' | 'observability'
  >,
  activeColour: 'blue' | 'green',
): Record<string, string> {
  const gateway = outputs.services['aia-api'];
  if (!gateway) throw new Error('the stack output services has no aia-api entry');
  const image = imageRepositoryOf(gateway.image);
  return {
    project: outputs.project,
    /** Where the image is pushed, without tag or digest. */
    image,
    /** The registry host, for `gcloud auth configure-docker`. */
    registry: image.split('/')[0] as string,
    gateway_url: gatewayUrlOf(outputs),
    namespace: outputs.namespaces.services,
    /** `<service>:<port>` of every service, for tools/release-workflow/with-port-forwards.sh. */
    service_ports: Object.entries(outputs.services)
      .map(([service, { port }]) => `${service}:${port}`)
      .join(' '),
    gateway_port: String(gateway.port),
    /** `<namespace>/<service>:<port>` of the in-cluster Prometheus, for a port-forward. */
    prometheus_forward: inClusterForward(outputs.observability.prometheusUrl),
    prometheus_port: inClusterForward(outputs.observability.prometheusUrl).split(':')[1] as string,
    active_colour: activeColour,
    idle_colour: activeColour === 'blue' ? 'green' : 'blue',
    service_account: outputs.release.serviceAccount,
    attestor: outputs.release.attestor,
    attestor_key_version: outputs.release.attestorKeyVersion,
  };
}

/** `http://<service>.<namespace>.svc.cluster.local:<port>` as `<namespace>/<service>:<port>`. */
function inClusterForward(url: string): string {
  const match = /^https?:\/\/([a-z0-9-]+)\.([a-z0-9-]+)\.svc(\.cluster\.local)?:(\d+)\/?$/.exec(
    url,
  );
  if (!match) throw new Error(`${url} is not an in-cluster Service URL with a port`);
  return `${match[2]}/${match[1]}:${match[4]}`;
}

/** The facts as `$GITHUB_OUTPUT` lines; refuses a value a line cannot hold. */
export function githubOutputLines(facts: Readonly<Record<string, string>>): string {
  return Object.entries(facts)
    .map(([key, value]) => {
      if (/[\r\n]/.test(value)) throw new Error(`${key}: a value on more than one line`);
      return `${key}=${value}\n`;
    })
    .join('');
}
