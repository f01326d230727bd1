import type { PolicyResource } from '@pulumi/policy';
import {
  isServiceName,
  type ServiceName,
  STACKS,
  type StackName,
} from '../../../services/catalog.js';

/** Label that ties a Kubernetes object to a service of the catalog. */
export const SERVICE_LABEL = 'app.kubernetes.io/name';

// biome-ignore lint/suspicious/noExplicitAny: Kubernetes object inputs are untyped JSON
type Json = Record<string, any>;

export interface ServiceDeployment {
  readonly resource: PolicyResource;
  readonly service: ServiceName;
  readonly stack: StackName | undefined;
  readonly namespace: string;
  /** `Deployment <namespace>/<name>`. */
  readonly label: string;
  readonly containers: readonly Json[];
}

/** `urn:pulumi:<stack>::...` → the stack, when it is one of ours. */
export function stackOf(urn: string): StackName | undefined {
  const stack = /^urn:pulumi:([^:]+)::/.exec(urn)?.[1];
  return (STACKS as readonly string[]).includes(stack ?? '') ? (stack as StackName) : undefined;
}

/** The Deployments of the stack that run a catalog service (by their `app.kubernetes.io/name`). */
export function serviceDeployments(resources: readonly PolicyResource[]): ServiceDeployment[] {
  return resources
    .filter((resource) => resource.type === 'kubernetes:apps/v1:Deployment')
    .flatMap((resource) => {
      const props = resource.props as Json;
      const service =
        props.metadata?.labels?.[SERVICE_LABEL] ??
        props.spec?.template?.metadata?.labels?.[SERVICE_LABEL];
      if (typeof service !== 'string' || !isServiceName(service)) return [];
      const namespace = props.metadata?.namespace ?? 'default';
      return [
        {
          resource,
          service,
          stack: stackOf(resource.urn),
          namespace,
          label: `Deployment ${namespace}/${props.metadata?.name ?? resource.name}`,
          containers: props.spec?.template?.spec?.containers ?? [],
        },
      ];
    });
}

/** Objects of `kind` in `namespace`, by `metadata.name`. */
export function objectsByName(
  resources: readonly PolicyResource[],
  kind: string,
  namespace: string,
): Map<string, Json> {
  const found = new Map<string, Json>();
  for (const resource of resources) {
    const props = resource.props as Json;
    if (
      props.kind === kind &&
      (props.metadata?.namespace ?? 'default') === namespace &&
      props.metadata?.name
    ) {
      found.set(props.metadata.name, props);
    }
  }
  return found;
}
