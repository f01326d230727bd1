import { CloudMonitoringAlerts } from '../components/cloud-monitoring-alerts/index.js';
import { replicaLagAlert } from '../components/cloudsql/replica-lag-alerts.js';
import { resourceLabels } from '../components/labels.js';
import type { withPagerDutyUserIds } from '../pagerduty-people.js';
import type { clusterPlatform } from './cluster-platform.js';
import type { StackContext } from './context.js';
import type { dataStores } from './data-stores.js';

type PagerDutySettings = Awaited<ReturnType<typeof withPagerDutyUserIds>> | undefined;

/**
 * The alerts Cloud Monitoring evaluates, outside the cluster: bursts in the services' logs,
 * Cloud SQL replica lag and failed daily exports, routed by severity like Alertmanager's
 * (docs/logging.md, "Routing"). They keep alerting while the cluster and its Alertmanager are down;
 * the warnings are muted in the stack's maintenance window, as Alertmanager's are.
 */
export function cloudAlerts(
  { config, prefix }: StackContext,
  { postgres, sqlExports }: Pick<ReturnType<typeof dataStores>, 'postgres' | 'sqlExports'>,
  { pagerduty, logging }: Pick<ReturnType<typeof clusterPlatform>, 'pagerduty' | 'logging'>,
  pagerdutySettings: PagerDutySettings,
) {
  const replicaLag = Object.entries(postgres.replicaInstanceNames).map(([role, instance]) =>
    replicaLagAlert(
      config.stack,
      config.project,
      role as keyof typeof postgres.replicaInstanceNames,
      instance as string,
    ),
  );
  return new CloudMonitoringAlerts(`${prefix}-cloud-alerts`, {
    project: config.project,
    prefix,
    emailTo: config.alerting.emailTo,
    ...(pagerduty ? { pagerdutyKeys: pagerduty.cloudMonitoringKeys } : {}),
    areaServices: Object.fromEntries(
      Object.entries(pagerdutySettings?.areas ?? {}).map(([area, { services }]) => [
        area,
        services,
      ]),
    ),
    alerts: [...logging.alerts, ...replicaLag, ...sqlExports.alerts],
    maintenance: config.maintenance,
    labels: resourceLabels({ environment: config.stack, service: 'alerting' }),
  });
}
