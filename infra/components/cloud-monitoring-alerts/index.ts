export { type ChannelChoice, channelsFor } from './channels.js';
export {
  CloudMonitoringAlerts,
  type CloudMonitoringAlertsArgs,
} from './cloud-monitoring-alerts.js';
export { docsUrl } from './docs-url.js';
export type { CloudAlert, CloudAlertSeverity } from './types.js';
