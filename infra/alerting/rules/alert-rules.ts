import type { ServiceDefinition, StackName } from '../../../services/catalog.js';
import { catalog as serviceCatalog } from '../../../services/catalog.js';
import { eventChecks } from './event-alerts.js';
import { dataStoreAlerts, watchdogAlert } from './platform-alerts.js';
import { DEFAULT_NAMESPACES, type RuleNamespaces } from './settings.js';
import { recordingRules } from './signals.js';
import { burnRateAlerts } from './slo-alerts.js';
import { thresholdChecks } from './threshold-alerts.js';
import type { Catalog, RuleGroup } from './types.js';
import { workloadAlerts } from './workload-alerts.js';

export interface RuleOptions {
  /** Default: the service catalog (`services/catalog.ts`). */
  readonly catalog?: Catalog;
  /** Default: `DEFAULT_NAMESPACES` (`aia`, `data`, `kafka`). */
  readonly namespaces?: Partial<RuleNamespaces>;
}

export interface ResolvedRuleOptions {
  readonly catalog: Catalog;
  readonly namespaces: RuleNamespaces;
}

export const resolveOptions = (options: RuleOptions = {}): ResolvedRuleOptions => ({
  catalog: options.catalog ?? serviceCatalog,
  namespaces: { ...DEFAULT_NAMESPACES, ...options.namespaces },
});

/** Name of the groups of rules that are about no one service. */
export const PLATFORM = 'aia-platform';

/** A service's groups: recording rules first, since the alerts read them. */
export function serviceRuleGroups(
  definition: ServiceDefinition,
  stack: StackName,
  namespace: string,
): RuleGroup[] {
  const { name } = definition;
  return [
    { name: `${name}-recording`, rules: recordingRules(definition, namespace) },
    { name: `${name}-slo`, rules: burnRateAlerts(definition) },
    {
      name: `${name}-thresholds`,
      rules: [
        ...thresholdChecks(definition, stack, namespace).map((check) => check.rule),
        // A threshold of its own: any occurrence.
        ...eventChecks(definition, namespace).map((check) => check.rule),
      ],
    },
    { name: `${name}-workload`, rules: workloadAlerts(name, namespace) },
  ];
}

/** Data stores and the Watchdog. */
export function platformRuleGroups(catalog: Catalog, namespaces: RuleNamespaces): RuleGroup[] {
  return [
    { name: `${PLATFORM}-data-stores`, rules: dataStoreAlerts(catalog, namespaces) },
    { name: `${PLATFORM}-watchdog`, rules: [watchdogAlert()] },
  ];
}

/**
 * Every rule group of `stack`, generated from the catalog: per service, recording rules, SLO
 * burn-rate alerts, the seed's threshold alerts and rollback triggers, alerts on events that
 * should not happen (a refused epoch payout), resource and workload alerts; then data-store
 * alerts and the Watchdog. Throws, saying why, on a catalog figure Prometheus could not alert on.
 */
export function alertRules(stack: StackName, options?: RuleOptions): RuleGroup[] {
  const { catalog, namespaces } = resolveOptions(options);
  return [
    ...Object.values(catalog).flatMap((definition) =>
      serviceRuleGroups(definition, stack, namespaces.services),
    ),
    ...platformRuleGroups(catalog, namespaces),
  ];
}
