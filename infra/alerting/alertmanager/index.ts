export {
  type AlertmanagerConfigArgs,
  alertmanagerConfig,
  alertmanagerMountedSecrets,
  type PagerDutyAreaRoute,
} from './config.js';
export {
  MAINTENANCE_INTERVAL,
  MAINTENANCE_WINDOW,
  type MaintenanceWindow,
  maintenanceInterval,
  type Weekday,
} from './maintenance-window.js';
export { areaReceiver, PAGERDUTY_SEVERITY, RECEIVERS, type SmtpSettings } from './receivers.js';
export { renderAlertmanagerYaml } from './render.js';
export {
  GROUP_BY,
  INHIBIT_RULES,
  SEVERITY_TIMING,
  WATCHDOG_MATCHER,
  WATCHDOG_TIMING,
} from './routes.js';
export { DEFAULT_SECRET_FILES, SECRETS_DIR, secretFile } from './secret-files.js';
export type * from './types.js';
