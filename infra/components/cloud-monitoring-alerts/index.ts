export { type ChannelChoice, channelsFor } from './channels.js';
export {
  CloudMonitoringAlerts,
  type CloudMonitoringAlertsArgs,
} from './cloud-monitoring-alerts.js';
export { docsUrl } from './docs-url.js';
export { cloudAlertQuery, promqlMetricName, promqlSelector } from './query.js';
export type { CloudAlert, CloudAlertSeries, CloudAlertSeverity } from './types.js';
