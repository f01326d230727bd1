import type { StackName } from '../../../services/catalog.js';
import {
  MAINTENANCE_WINDOW,
  type MaintenanceWindow,
  maintenanceInterval,
} from './maintenance-window.js';
import {
  areaReceiver,
  emailConfig,
  pagerdutyConfig,
  RECEIVERS,
  type SmtpSettings,
  slackConfig,
  webhookConfig,
} from './receivers.js';
import { INHIBIT_RULES, routeTree } from './routes.js';
import { DEFAULT_SECRET_FILES, mountedSecretOf } from './secret-files.js';
import type { AlertmanagerConfig, Receiver } from './types.js';

/** A PagerDuty area whose services' critical alerts page that area's own PagerDuty service. */
export interface PagerDutyAreaRoute {
  /** Values of the `service` label that belong to the area. */
  readonly services: readonly string[];
  /** Mounted file holding the area's Events API v2 integration key. */
  readonly keyFile: string;
}

export interface AlertmanagerConfigArgs {
  readonly stack: StackName;
  /** Slack channels for critical and warning notifications, such as `#aia-incidents`. */
  readonly slackChannels: { readonly critical: string; readonly warning: string };
  /** Recipients of info notifications: one address or a comma-separated list. */
  readonly emailTo: string;
  readonly smtp: SmtpSettings;
  /**
   * Webhook pinged every minute while the Watchdog fires. Written inline: Alertmanager 0.25 has
   * no `url_file` for webhooks, so use an endpoint whose URL is not a credential.
   */
  readonly deadMansSwitchUrl: string;
  /**
   * Default true: critical alerts page PagerDuty and post to Slack. false, for a stack without
   * PagerDuty (a first deploy): critical alerts go to Slack's critical channel only, nothing reads a
   * PagerDuty key, and `pagerdutyAreas` must be empty.
   */
  readonly pagerduty?: boolean;
  /** PagerDuty routing key of critical alerts no area claims. Default: `DEFAULT_SECRET_FILES`. */
  readonly pagerdutyKeyFile?: string;
  /** Slack incoming-webhook URL. Default: `DEFAULT_SECRET_FILES`. */
  readonly slackWebhookFile?: string;
  /** SMTP password. Default: `DEFAULT_SECRET_FILES`. */
  readonly smtpPasswordFile?: string;
  /** Areas by name (`platform`, `ledger`, ...). Default: none, every page to `pagerdutyKeyFile`. */
  readonly pagerdutyAreas?: Readonly<Record<string, PagerDutyAreaRoute>>;
  /** When warning and info notifications are muted. Default: Sunday 02:00–04:00 UTC. */
  readonly maintenanceWindow?: MaintenanceWindow;
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function validate(args: AlertmanagerConfigArgs): void {
  for (const [severity, channel] of Object.entries(args.slackChannels)) {
    if (!/^#[-_a-z0-9]+$/.test(channel)) {
      throw new Error(
        `slackChannels.${severity} is "${channel}": expected a channel like #aia-alerts`,
      );
    }
  }
  const url = URL.canParse(args.deadMansSwitchUrl) ? new URL(args.deadMansSwitchUrl) : undefined;
  if (url?.protocol !== 'https:') {
    throw new Error(`deadMansSwitchUrl is "${args.deadMansSwitchUrl}": expected an https URL`);
  }
  if (args.pagerduty === false && Object.keys(args.pagerdutyAreas ?? {}).length > 0) {
    throw new Error('pagerdutyAreas is set but pagerduty is false: areas page PagerDuty services');
  }
  for (const [area, { services }] of Object.entries(args.pagerdutyAreas ?? {})) {
    const names = [area, ...services];
    if (services.length === 0 || !names.every((name) => NAME.test(name))) {
      throw new Error(
        `pagerdutyAreas.${area} is invalid: expected a lower-case name and at least one lower-case service name`,
      );
    }
  }
}

const providerFiles = (args: AlertmanagerConfigArgs) => ({
  ...(args.pagerduty === false
    ? {}
    : { pagerdutyKeyFile: args.pagerdutyKeyFile ?? DEFAULT_SECRET_FILES.pagerdutyKeyFile }),
  slackWebhookFile: args.slackWebhookFile ?? DEFAULT_SECRET_FILES.slackWebhookFile,
  smtpPasswordFile: args.smtpPasswordFile ?? DEFAULT_SECRET_FILES.smtpPasswordFile,
});

/** Every mounted file the configuration reads, with the argument it comes from. */
const secretFiles = (args: AlertmanagerConfigArgs): [string, string][] => [
  ...Object.entries(providerFiles(args)),
  ...Object.entries(args.pagerdutyAreas ?? {}).map(([area, { keyFile }]): [string, string] => [
    `pagerdutyAreas.${area}.keyFile`,
    keyFile,
  ]),
];

/**
 * Names of the Secrets the configuration reads, for kube-prometheus-stack to mount at
 * `/etc/alertmanager/secrets/<name>/` (`alertmanagerSpec.secrets`). Throws like `alertmanagerConfig`.
 */
export function alertmanagerMountedSecrets(args: AlertmanagerConfigArgs): string[] {
  const secrets = secretFiles(args).map(([field, file]) => mountedSecretOf(file, field));
  return [...new Set(secrets)].sort();
}

/**
 * The Alertmanager configuration (the object `alertmanager.yaml` holds): critical to PagerDuty
 * and Slack, warning to Slack, info to email, the Watchdog to a dead-man's switch; inhibition and
 * a muting maintenance window. Credentials only as `*_file` paths of mounted Secrets. Throws,
 * saying why, on a setting Alertmanager would refuse or a file outside the mounted Secrets.
 */
export function alertmanagerConfig(args: AlertmanagerConfigArgs): AlertmanagerConfig {
  validate(args);
  alertmanagerMountedSecrets(args); // refuses any file outside the mounted Secrets
  const files = providerFiles(args);
  const { stack, slackChannels } = args;
  const areas = Object.entries(args.pagerdutyAreas ?? {});
  const critical = (name: string, keyFile: string | undefined): Receiver => ({
    name,
    ...(keyFile ? { pagerduty_configs: [pagerdutyConfig(stack, keyFile)] } : {}),
    slack_configs: [slackConfig(stack, slackChannels.critical, files.slackWebhookFile)],
  });
  const criticalReceiver = files.pagerdutyKeyFile
    ? RECEIVERS.critical
    : RECEIVERS.criticalWithoutPagerDuty;
  return {
    global: { resolve_timeout: '5m' },
    route: routeTree(
      Object.fromEntries(areas.map(([area, { services }]) => [area, services])),
      criticalReceiver,
    ),
    inhibit_rules: INHIBIT_RULES,
    time_intervals: [maintenanceInterval(args.maintenanceWindow ?? MAINTENANCE_WINDOW)],
    receivers: [
      { name: RECEIVERS.watchdog, webhook_configs: [webhookConfig(args.deadMansSwitchUrl)] },
      critical(criticalReceiver, files.pagerdutyKeyFile),
      ...areas.map(([area, { keyFile }]) => critical(areaReceiver(area), keyFile)),
      {
        name: RECEIVERS.warning,
        slack_configs: [slackConfig(stack, slackChannels.warning, files.slackWebhookFile)],
      },
      {
        name: RECEIVERS.info,
        email_configs: [emailConfig(stack, args.emailTo, args.smtp, files.smtpPasswordFile)],
      },
    ],
  };
}
