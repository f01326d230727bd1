import type { StackName } from '../../../services/catalog.js';
import {
  PLATFORM,
  platformRuleGroups,
  type RuleOptions,
  resolveOptions,
  serviceRuleGroups,
} from './alert-rules.js';
import type { RuleGroup } from './types.js';

/** Namespace of kube-prometheus-stack, where the PrometheusRules go. */
export const RULES_NAMESPACE = 'monitoring';

export interface PrometheusRuleObject<Release> {
  readonly apiVersion: 'monitoring.coreos.com/v1';
  readonly kind: 'PrometheusRule';
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly labels: {
      readonly release: Release;
      readonly 'app.kubernetes.io/name': string;
      readonly 'app.kubernetes.io/part-of': 'aia-platform';
      readonly 'app.kubernetes.io/managed-by': 'pulumi';
    };
  };
  readonly spec: { readonly groups: readonly RuleGroup[] };
}

/**
 * The same groups as `rules.yaml`, as PrometheusRule objects for the operator: one per service
 * (its recording rules and alerts) and one (`aia-platform`) for data stores and the Watchdog.
 * Labelled `release: <releaseName>`, which kube-prometheus-stack selects rules by; the release
 * name may be a plain string or the program's output.
 */
export function prometheusRuleObjects<Release = string>(
  stack: StackName,
  releaseName: Release,
  options?: RuleOptions & { readonly namespace?: string },
): PrometheusRuleObject<Release>[] {
  const resolved = resolveOptions(options);
  const { catalog, namespaces } = resolved;
  const object = (name: string, groups: RuleGroup[]): PrometheusRuleObject<Release> => ({
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name,
      namespace: options?.namespace ?? RULES_NAMESPACE,
      labels: {
        release: releaseName,
        'app.kubernetes.io/name': name,
        'app.kubernetes.io/part-of': 'aia-platform',
        'app.kubernetes.io/managed-by': 'pulumi',
      },
    },
    spec: { groups },
  });
  return [
    ...Object.values(catalog).map((definition) =>
      object(definition.name, serviceRuleGroups(definition, stack, namespaces.services)),
    ),
    object(PLATFORM, platformRuleGroups(resolved)),
  ];
}
