import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import type { MaintenanceWindow } from '../../maintenance/window.js';
import { channelsFor } from './channels.js';
import { cloudAlertQuery } from './query.js';
import type { CloudAlert } from './types.js';

export interface CloudMonitoringAlertsArgs {
  readonly project: string;
  /** Prefix of display names, e.g. `aia-production`. */
  readonly prefix: string;
  /** Who the e-mail channel writes to (the stack's `alerting.emailTo`). */
  readonly emailTo: string;
  /**
   * PagerDuty Events API v2 integration key per area (`PagerDutyRouting.cloudMonitoringKeys`),
   * secret outputs; leave out on a stack without PagerDuty.
   */
  readonly pagerdutyKeys?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Services of each PagerDuty area, to page the area an alert's service belongs to. */
  readonly areaServices?: Readonly<Record<string, readonly string[]>>;
  /** Area paged for an alert about no service in particular. Default `platform`. */
  readonly defaultArea?: string;
  readonly alerts: readonly CloudAlert[];
  /** The stack's maintenance window (`aia-platform:maintenance`): warnings cannot fire in it. */
  readonly maintenance: MaintenanceWindow;
  readonly labels: Record<string, string>;
}

const POLICY_SEVERITY = { critical: 'CRITICAL', warning: 'WARNING' } as const;

/** How often Cloud Monitoring evaluates each condition (a multiple of 30 s). */
const EVALUATION_INTERVAL = '60s';

/**
 * The alerts Cloud Monitoring evaluates (log-based metrics, Cloud SQL replication), routed like
 * Alertmanager's by the platform's severity table (docs/logging.md, "Routing"): a `pagerduty`
 * channel per area holding that area's integration key as a sensitive label, and an e-mail
 * channel; each policy notifies the channels `channelsFor` picks for its severity and service.
 * Every condition is PromQL (`cloudAlertQuery`), so a warning can carry the maintenance window
 * (`unless on()` it is open), as Alertmanager's warning routes do; critical alerts page in it.
 */
export class CloudMonitoringAlerts extends pulumi.ComponentResource {
  /** Policy resource names by alert key. */
  readonly policyNames: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(
    name: string,
    args: CloudMonitoringAlertsArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    const defaultArea = args.defaultArea ?? 'platform';
    const areas = Object.keys(args.pagerdutyKeys ?? {});
    if (areas.length > 0 && !areas.includes(defaultArea)) {
      throw new Error(
        `defaultArea is ${defaultArea}, which has no PagerDuty key (areas: ${areas.join(', ')}): critical alerts about no service would page nobody`,
      );
    }
    const keys = new Set<string>();
    for (const alert of args.alerts) {
      if (keys.has(alert.key)) throw new Error(`two Cloud Monitoring alerts have key ${alert.key}`);
      keys.add(alert.key);
    }
    super('aia:platform:CloudMonitoringAlerts', name, {}, opts);
    const child = { parent: this };

    const email = new gcp.monitoring.NotificationChannel(
      `${name}-email`,
      {
        project: args.project,
        displayName: `${args.prefix} alerts (e-mail)`,
        type: 'email',
        labels: { email_address: args.emailTo },
        userLabels: args.labels,
      },
      child,
    );
    const pagerduty = Object.fromEntries(
      Object.entries(args.pagerdutyKeys ?? {}).map(([area, key]) => [
        area,
        new gcp.monitoring.NotificationChannel(
          `${name}-pagerduty-${area}`,
          {
            project: args.project,
            displayName: `${args.prefix} PagerDuty ${area}`,
            type: 'pagerduty',
            // The key only as a sensitive label: never in `labels`, and a secret in the state.
            sensitiveLabels: { serviceKey: pulumi.secret(key) },
            userLabels: { ...args.labels, area },
          },
          child,
        ),
      ]),
    );
    const choice = {
      pagerduty,
      areaServices: args.areaServices ?? {},
      defaultArea,
      email,
    };

    this.policyNames = Object.fromEntries(
      args.alerts.map((alert) => {
        const channels = channelsFor(alert.severity, alert.service, choice);
        const policy = new gcp.monitoring.AlertPolicy(
          `${name}-${alert.key}`,
          {
            project: args.project,
            displayName: `[${args.prefix}] ${alert.displayName}`,
            combiner: 'OR',
            severity: POLICY_SEVERITY[alert.severity],
            conditions: [
              {
                displayName: alert.key,
                conditionPrometheusQueryLanguage: {
                  query: pulumi
                    .output(alert.series.metricType)
                    .apply((metricType) =>
                      cloudAlertQuery(
                        { ...alert, series: { ...alert.series, metricType } },
                        args.maintenance,
                      ),
                    ),
                  duration: alert.duration,
                  evaluationInterval: EVALUATION_INTERVAL,
                  // The log-based metrics are created in the same update as their policies, and
                  // Cloud Monitoring answers 404 for a new metric for up to 10 minutes (and for a
                  // PromQL series that has no point yet): without this a new stack's first
                  // pulumi up fails. The names are checked by the plan tests and promtool instead.
                  disableMetricValidation: true,
                },
              },
            ],
            ...(alert.autoClose ? { alertStrategy: { autoClose: alert.autoClose } } : {}),
            documentation: { content: alert.documentation, mimeType: 'text/markdown' },
            notificationChannels: channels.map((channel) => channel.name),
            userLabels: { ...args.labels, severity: alert.severity },
          },
          child,
        );
        return [alert.key, policy.name];
      }),
    );
    this.registerOutputs({ policyNames: this.policyNames });
  }
}
