export { GRAFANA_ADMIN_KEYS, grafanaValues } from './grafana-values.js';
export { MonitoringStack, type MonitoringStackArgs, type ServiceRef } from './monitoring.js';
export { monitoringNetworkPolicies } from './network-policies.js';
export {
  type ContainerResources,
  MONITORING_SIZES,
  type MonitoringSizes,
  resources,
} from './sizes.js';
export {
  type AlertmanagerConfigSource,
  KUBE_PROMETHEUS_STACK,
  type MonitoringValuesArgs,
  monitoringServices,
  monitoringValues,
} from './values.js';
