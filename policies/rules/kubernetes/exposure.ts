import type { PolicyResource, StackValidationPolicy } from '@pulumi/policy';
import { isServiceName, serviceDefinition, serviceNames } from '../../../services/catalog.js';
import { describe, kindOf, type Metadata, nameOf, namespaceOf } from './objects.js';
import { selectsEverything } from './selectors.js';

const INGRESS = 'kubernetes:networking.k8s.io/v1:Ingress';
const HTTP_ROUTE = /^kubernetes:gateway\.networking\.k8s\.io\/v1(beta1)?:HTTPRoute$/;
const BACKEND_CONFIG = 'kubernetes:cloud.google.com/v1:BackendConfig';
const SECURITY_POLICY = 'gcp:compute/securityPolicy:SecurityPolicy';
const NETWORK_POLICY = 'kubernetes:networking.k8s.io/v1:NetworkPolicy';
const NAMESPACE = 'kubernetes:core/v1:Namespace';

/** The versioned API: the only path prefix of a platform service the internet may reach. */
export const PUBLIC_PREFIX = '/v1';

/** `/v1` and anything under `/v1/`; never `/`, `/metrics`, `/v10`. */
export const isPublicPath = (path: string | undefined) =>
  path === PUBLIC_PREFIX || (path ?? '').startsWith(`${PUBLIC_PREFIX}/`);

const isPlatformService = (name: unknown) =>
  typeof name === 'string' && (serviceNames as readonly string[]).includes(name);

interface IngressSpec {
  readonly defaultBackend?: { readonly service?: { readonly name?: string } };
  readonly rules?: readonly {
    readonly http?: {
      readonly paths?: readonly {
        readonly path?: string;
        readonly backend?: { readonly service?: { readonly name?: string } };
      }[];
    };
  }[];
}
interface HttpRouteSpec {
  readonly rules?: readonly {
    readonly matches?: readonly { readonly path?: { readonly value?: string } }[];
    readonly backendRefs?: readonly { readonly name?: string }[];
  }[];
}

/** Each path outside `/v1` an Ingress or HTTPRoute routes to a platform service. */
function exposedPaths({ type, props }: PolicyResource): { service: string; path: string }[] {
  if (type === INGRESS) {
    const spec = (props.spec ?? {}) as IngressSpec;
    const found = (spec.rules ?? []).flatMap((rule) =>
      (rule.http?.paths ?? [])
        .filter((p) => isPlatformService(p.backend?.service?.name) && !isPublicPath(p.path))
        .map((p) => ({ service: String(p.backend?.service?.name), path: p.path ?? '/' })),
    );
    const fallback = spec.defaultBackend?.service?.name;
    if (isPlatformService(fallback))
      found.push({ service: String(fallback), path: '* (defaultBackend)' });
    return found;
  }
  if (HTTP_ROUTE.test(type)) {
    const spec = (props.spec ?? {}) as HttpRouteSpec;
    return (spec.rules ?? []).flatMap((rule) => {
      const services = (rule.backendRefs ?? []).map((ref) => ref.name).filter(isPlatformService);
      // A rule without matches matches every path.
      const paths = (rule.matches ?? [{}]).map((m) => m.path?.value ?? '/');
      return services.flatMap((service) =>
        paths
          .filter((path) => !isPublicPath(path))
          .map((path) => ({ service: String(service), path })),
      );
    });
  }
  return [];
}

export const onlyVersionedApiPublic: StackValidationPolicy = {
  name: 'k8s-public-paths-versioned-api-only',
  description:
    'Ingresses and HTTPRoutes route only /v1 of a platform service: /metrics, /info, /readyz and /healthz stay inside the cluster.',
  enforcementLevel: 'mandatory',
  validateStack: ({ resources }, report) => {
    for (const resource of resources) {
      for (const { service, path } of exposedPaths(resource)) {
        const metadata = resource.props.metadata as Metadata | undefined;
        report(
          `${describe(kindOf(resource.type), metadata, resource.name)} exposes ${path} of ${service} to the internet: route only the prefix '${PUBLIC_PREFIX}' (pathType Prefix) and no defaultBackend; everything else then gets 404 at the load balancer, whose health check reaches the pods directly.`,
          resource.urn,
        );
      }
    }
  },
};

/** Every platform service an Ingress or HTTPRoute sends traffic to, on any path. */
function routedServices({ type, props }: PolicyResource): string[] {
  let names: (string | undefined)[] = [];
  if (type === INGRESS) {
    const spec = (props.spec ?? {}) as IngressSpec;
    names = [
      spec.defaultBackend?.service?.name,
      ...(spec.rules ?? []).flatMap((rule) =>
        (rule.http?.paths ?? []).map((p) => p.backend?.service?.name),
      ),
    ];
  } else if (HTTP_ROUTE.test(type)) {
    const spec = (props.spec ?? {}) as HttpRouteSpec;
    names = (spec.rules ?? []).flatMap((rule) => (rule.backendRefs ?? []).map((r) => r.name));
  }
  return [...new Set(names.filter((name): name is string => isPlatformService(name)))];
}

export const onlyPublicServicesRouted: StackValidationPolicy = {
  name: 'k8s-only-public-services-routed',
  description:
    "Ingresses and HTTPRoutes send traffic only to services the catalog marks public (exposure: 'public'); every other service stays inside the cluster.",
  enforcementLevel: 'mandatory',
  validateStack: ({ resources }, report) => {
    for (const resource of resources) {
      for (const service of routedServices(resource)) {
        if (!isServiceName(service) || serviceDefinition(service).exposure === 'public') continue;
        report(
          `${describe(kindOf(resource.type), resource.props.metadata as Metadata | undefined, resource.name)} routes internet traffic to ${service}, which the catalog keeps internal: remove the route, or set exposure: 'public' in services/${service}/definition.ts if it is meant to be public.`,
          resource.urn,
        );
      }
    }
  },
};

interface BackendConfigSpec {
  readonly iap?: {
    readonly enabled?: boolean;
    readonly oauthclientCredentials?: { readonly secretName?: string };
  };
  readonly securityPolicy?: { readonly name?: string };
}
interface ArmorRule {
  readonly action?: string;
  readonly priority?: number;
  readonly match?: { readonly config?: { readonly srcIpRanges?: readonly string[] } };
}

/** True when the Cloud Armor policy denies by default and lets named ranges only through. */
export function allowlistsSources(rules: readonly ArmorRule[] | undefined): boolean {
  const all = rules ?? [];
  const last = [...all].sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0)).at(-1);
  if (!last?.action?.startsWith('deny')) return false;
  return all
    .filter((rule) => rule.action === 'allow' || rule.action === 'throttle')
    .every((rule) => {
      const ranges = rule.match?.config?.srcIpRanges ?? [];
      return ranges.length > 0 && !ranges.some((r) => r === '*' || r.endsWith('/0'));
    });
}

const routesToGrafana = (resource: PolicyResource) =>
  JSON.stringify((resource.props.spec ?? {}) as object).includes('grafana');

export const grafanaNotPasswordOnly: StackValidationPolicy = {
  name: 'k8s-grafana-iap-or-allowlist',
  description:
    'A Grafana exposed through an Ingress is behind Identity-Aware Proxy or a Cloud Armor source allowlist, never its password alone.',
  enforcementLevel: 'mandatory',
  validateStack: ({ resources }, report) => {
    const armor = new Map(
      resources
        .filter((r) => r.type === SECURITY_POLICY)
        .map((r) => [String(r.props.name ?? r.name), r.props.rules as ArmorRule[] | undefined]),
    );
    const backendConfigs = resources.filter((r) => r.type === BACKEND_CONFIG);
    for (const ingress of resources.filter((r) => r.type === INGRESS && routesToGrafana(r))) {
      const metadata = ingress.props.metadata as Metadata | undefined;
      const namespace = namespaceOf(metadata);
      const configs = backendConfigs.filter(
        (c) => namespaceOf(c.props.metadata as Metadata | undefined) === namespace,
      );
      const protectedConfig = configs.some((config) => {
        const spec = (config.props.spec ?? {}) as BackendConfigSpec;
        const iap =
          spec.iap?.enabled === true && Boolean(spec.iap.oauthclientCredentials?.secretName);
        const policyName = spec.securityPolicy?.name;
        return iap || (policyName !== undefined && allowlistsSources(armor.get(policyName)));
      });
      if (protectedConfig) continue;
      report(
        `${describe('Ingress', metadata, ingress.name)} makes Grafana public behind its password alone: set the BackendConfig's iap { enabled: true, oauthclientCredentials.secretName } (stack config grafanaAccess.iap.group) or give it a Cloud Armor policy that denies by default and allows listed ranges only (grafanaAccess.allowedSources).`,
        ingress.urn,
      );
    }
  },
};

interface NetworkPolicySpec {
  readonly podSelector?: Parameters<typeof selectsEverything>[0];
  readonly policyTypes?: readonly string[];
  readonly egress?: readonly unknown[];
}

/** Selects every pod, governs Egress, allows nothing: no pod sends anything not allowed. */
export const deniesAllEgress = (spec: NetworkPolicySpec | undefined) =>
  spec !== undefined &&
  selectsEverything(spec.podSelector) &&
  (spec.policyTypes ?? []).includes('Egress') &&
  (spec.egress ?? []).length === 0;

export const namespaceDefaultDenyEgress: StackValidationPolicy = {
  name: 'k8s-namespace-default-deny-egress',
  description:
    'Every Namespace the stack creates has a default-deny egress NetworkPolicy: podSelector {}, policyTypes with Egress, no egress rules.',
  enforcementLevel: 'mandatory',
  validateStack: ({ resources }, report) => {
    const denying = new Set(
      resources
        .filter(
          (r) => r.type === NETWORK_POLICY && deniesAllEgress(r.props.spec as NetworkPolicySpec),
        )
        .map((r) => namespaceOf(r.props.metadata as Metadata | undefined)),
    );
    for (const namespace of resources.filter((r) => r.type === NAMESPACE)) {
      const name = nameOf(namespace.props.metadata as Metadata | undefined, namespace.name);
      if (denying.has(name)) continue;
      report(
        `Namespace ${name} lets its pods send anywhere: add a NetworkPolicy in '${name}' with podSelector {}, policyTypes ['Egress'] and no egress rules, then allow each destination (DNS, metadata server, data stores, Google APIs) explicitly.`,
        namespace.urn,
      );
    }
  },
};

/** What the internet and a compromised pod can reach. */
export const exposurePolicies = [
  onlyVersionedApiPublic,
  onlyPublicServicesRouted,
  grafanaNotPasswordOnly,
  namespaceDefaultDenyEgress,
];
