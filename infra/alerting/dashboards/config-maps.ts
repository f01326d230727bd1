import {
  type StackName,
  catalog as serviceCatalog,
  serviceNames,
} from '../../../services/catalog.js';
import { DEFAULT_NAMESPACES } from '../namespaces.js';
import { agentsDashboard } from './agents.js';
import type { Catalog } from './catalog.js';
import { type Dashboard, PLATFORM_TAG } from './dashboard.js';
import { platformOverviewDashboard } from './platform-overview.js';
import { serviceDashboard } from './service-dashboard.js';
import { tokenEconomyDashboard } from './token-economy.js';

/** Namespace of Grafana; its sidecar loads dashboards from ConfigMaps of any namespace. */
export const DASHBOARD_NAMESPACE = 'monitoring';

/** The label and value Grafana's sidecar looks for. */
export const DASHBOARD_LABEL = { grafana_dashboard: '1' } as const;

/** A Kubernetes ConfigMap as plain data, ready for `k8s.core.v1.ConfigMap` or YAML. */
export interface DashboardConfigMap {
  readonly apiVersion: 'v1';
  readonly kind: 'ConfigMap';
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly labels: Readonly<Record<string, string>>;
  };
  /** `<uid>.json`: the dashboard as JSON text. */
  readonly data: Readonly<Record<string, string>>;
}

/**
 * The ConfigMap of one dashboard. `owner` becomes `app.kubernetes.io/name`: the service for a
 * service dashboard (the observability policy matches it exactly), the uid otherwise.
 */
export function dashboardConfigMap(board: Dashboard, owner = board.uid): DashboardConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: `${board.uid}-dashboard`,
      namespace: DASHBOARD_NAMESPACE,
      labels: {
        ...DASHBOARD_LABEL,
        'app.kubernetes.io/name': owner,
        'app.kubernetes.io/part-of': PLATFORM_TAG,
        'app.kubernetes.io/component': 'dashboard',
        'app.kubernetes.io/managed-by': 'pulumi',
      },
    },
    data: { [`${board.uid}.json`]: `${JSON.stringify(board, null, 2)}\n` },
  };
}

/**
 * Every dashboard of `stack` as a ConfigMap: one per catalog service, the platform overview,
 * token economy and agents. `namespace` is the services' (the stack's `services.namespace`).
 */
export function dashboardConfigMaps(
  stack: StackName,
  catalog: Catalog = serviceCatalog,
  namespace: string = DEFAULT_NAMESPACES.services,
): DashboardConfigMap[] {
  return [
    ...serviceNames.map((service) =>
      dashboardConfigMap(
        serviceDashboard(service, stack, catalog, namespace),
        catalog[service].name,
      ),
    ),
    dashboardConfigMap(platformOverviewDashboard(stack, catalog, namespace)),
    dashboardConfigMap(tokenEconomyDashboard(stack, catalog)),
    dashboardConfigMap(agentsDashboard(stack, catalog)),
  ];
}
