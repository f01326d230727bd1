import * as k8s from '@pulumi/kubernetes';
import {
  type ResourceValidationPolicy,
  type StackValidationPolicy,
  validateResourceOfType,
} from '@pulumi/policy';
import type { Unwrap } from '@pulumi/pulumi';
import { describe, nameOf, namespaceOf, objectsOf } from './objects.js';
import { selectsEverything } from './selectors.js';

type NetworkPolicySpec = Unwrap<k8s.types.input.networking.v1.NetworkPolicySpec>;

/**
 * Denies all ingress to every pod of its namespace: selects every pod, governs Ingress, allows
 * nothing. Without `policyTypes` Kubernetes governs Ingress anyway, so that counts too.
 */
export function deniesAllIngress(spec: NetworkPolicySpec | undefined): boolean {
  if (!spec || !selectsEverything(spec.podSelector)) return false;
  const governsIngress = spec.policyTypes?.includes('Ingress') ?? true;
  return governsIngress && (spec.ingress ?? []).length === 0;
}

export const namespaceDefaultDeny: StackValidationPolicy = {
  name: 'k8s-namespace-default-deny',
  description:
    'Every Namespace the stack creates has a default-deny NetworkPolicy: podSelector {}, policyTypes with Ingress, no ingress rules.',
  enforcementLevel: 'mandatory',
  validateStack: ({ resources }, report) => {
    const denying = new Set(
      objectsOf(resources, k8s.networking.v1.NetworkPolicy)
        .filter(({ props }) => deniesAllIngress(props.spec))
        .map(({ props }) => namespaceOf(props.metadata)),
    );
    for (const { urn, name, props } of objectsOf(resources, k8s.core.v1.Namespace)) {
      const namespace = nameOf(props.metadata, name);
      if (denying.has(namespace)) continue;
      report(
        `Namespace ${namespace} has no default-deny NetworkPolicy: add one in '${namespace}' with podSelector {}, policyTypes ['Ingress'] and no ingress rules, then allow each flow explicitly.`,
        urn,
      );
    }
  },
};

/** The label an ingress controller's Service carries to be exposed without a config entry. */
export const INGRESS_COMPONENT = { key: 'app.kubernetes.io/component', value: 'ingress' } as const;

/** `namespace/name` matches itself and `namespace/*`. */
const isListed = (allowed: readonly string[], namespace: string, name: string) =>
  allowed.includes(`${namespace}/${name}`) || allowed.includes(`${namespace}/*`);

export const noLoadBalancerServices: ResourceValidationPolicy = {
  name: 'k8s-no-load-balancer-service',
  description:
    'No Service is of type LoadBalancer except the ingress: one listed in allowedLoadBalancers or labelled app.kubernetes.io/component: ingress.',
  enforcementLevel: 'mandatory',
  configSchema: {
    properties: {
      allowedLoadBalancers: {
        type: 'array',
        items: { type: 'string', pattern: '^[a-z0-9-]+/([a-z0-9.-]+|\\*)$' },
        default: [],
        description:
          "Services allowed to be LoadBalancers, as 'namespace/name' or 'namespace/*' for a whole namespace.",
      },
    },
  },
  validateResource: validateResourceOfType(k8s.core.v1.Service, (service, args, report) => {
    if (service.spec?.type !== 'LoadBalancer') return;
    const { allowedLoadBalancers = [] } = args.getConfig<{ allowedLoadBalancers?: string[] }>();
    const namespace = namespaceOf(service.metadata);
    const name = nameOf(service.metadata, args.name);
    if (isListed(allowedLoadBalancers, namespace, name)) return;
    if (service.metadata?.labels?.[INGRESS_COMPONENT.key] === INGRESS_COMPONENT.value) return;
    report(
      `${describe('Service', service.metadata, args.name)} is of type LoadBalancer: make it ClusterIP and expose it through the ingress (or, if it is the ingress, list '${namespace}/${name}' in allowedLoadBalancers).`,
    );
  }),
};
