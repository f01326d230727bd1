import type { ServiceDefinition, StackName } from '../../../services/catalog.js';
import { catalog as serviceCatalog } from '../../../services/catalog.js';
import { DEFAULT_MAINTENANCE_WINDOW, type MaintenanceWindow } from '../../maintenance/window.js';
import { eventChecks } from './event-alerts.js';
import { maintenanceAnnouncement } from './maintenance-alerts.js';
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
  /** The stack's maintenance window, announced a day ahead. Default: Sunday 02:00–04:00 UTC. */
  readonly maintenance?: MaintenanceWindow;
}

export interface ResolvedRuleOptions {
  readonly catalog: Catalog;
  readonly namespaces: RuleNamespaces;
  readonly maintenance: MaintenanceWindow;
}

export const resolveOptions = (options: RuleOptions = {}): ResolvedRuleOptions => ({
  catalog: options.catalog ?? serviceCatalog,
  namespaces: { ...DEFAULT_NAMESPACES, ...options.namespaces },
  maintenance: options.maintenance ?? DEFAULT_MAINTENANCE_WINDOW,
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

/** Data stores, the maintenance announcement and the Watchdog. */
export function platformRuleGroups({
  catalog,
  namespaces,
  maintenance,
}: ResolvedRuleOptions): RuleGroup[] {
  return [
    { name: `${PLATFORM}-data-stores`, rules: dataStoreAlerts(catalog, namespaces) },
    { name: `${PLATFORM}-maintenance`, rules: [maintenanceAnnouncement(maintenance)] },
    { name: `${PLATFORM}-watchdog`, rules: [watchdogAlert()] },
  ];
}

/**
 * Every rule group of `stack`, generated from the catalog: per service, recording rules, SLO
 * burn-rate alerts, the seed's threshold alerts and rollback triggers, alerts on events that
 * should not happen (a refused epoch payout), resource and workload alerts; then data-store
 * alerts, the maintenance announcement and the Watchdog. Throws, saying why, on a catalog figure Prometheus could not alert on.
 */
export function alertRules(stack: StackName, options?: RuleOptions): RuleGroup[] {
  const resolved = resolveOptions(options);
  const { catalog, namespaces } = resolved;
  return [
    ...Object.values(catalog).flatMap((definition) =>
      serviceRuleGroups(definition, stack, namespaces.services),
    ),
    ...platformRuleGroups(resolved),
  ];
}
