import { MAINTENANCE_INTERVAL } from './maintenance-window.js';
import { areaReceiver, RECEIVERS } from './receivers.js';
import type { InhibitRule, Route, Severity } from './types.js';

/** Alerts are grouped per alert, namespace and service: one notification per broken thing. */
export const GROUP_BY = ['alertname', 'namespace', 'service'] as const;

interface Timing {
  readonly group_wait: string;
  readonly group_interval: string;
  readonly repeat_interval: string;
}

/** How soon and how often each severity is notified. */
export const SEVERITY_TIMING: Readonly<Record<Severity, Timing>> = {
  critical: { group_wait: '30s', group_interval: '5m', repeat_interval: '1h' },
  warning: { group_wait: '1m', group_interval: '5m', repeat_interval: '4h' },
  info: { group_wait: '5m', group_interval: '30m', repeat_interval: '24h' },
};

/** The dead-man's switch expects a heartbeat every minute and alarms when it stops. */
export const WATCHDOG_TIMING: Timing = {
  group_wait: '0s',
  group_interval: '1m',
  repeat_interval: '1m',
};

/** The label that marks the always-firing Watchdog alert. */
export const WATCHDOG_MATCHER = 'watchdog="true"';

const severityIs = (severity: Severity) => `severity="${severity}"`;

/**
 * The routing tree. The Watchdog goes to the dead-man's switch only; each severity then to its
 * receiver (critical: `criticalReceiver`), critical alerts of a PagerDuty area's services to that
 * area's service. Maintenance
 * mutes warning and info, never a page nor the Watchdog. Alerts without a known severity fall
 * through to Slack.
 */
export function routeTree(
  areas: Readonly<Record<string, readonly string[]>>,
  criticalReceiver: string = RECEIVERS.critical,
): Route {
  const areaRoutes: Route[] = Object.entries(areas).map(([area, services]) => ({
    matchers: [`service=~"${services.join('|')}"`],
    receiver: areaReceiver(area),
  }));
  return {
    receiver: RECEIVERS.warning,
    group_by: GROUP_BY,
    ...SEVERITY_TIMING.warning,
    routes: [
      { matchers: [WATCHDOG_MATCHER], receiver: RECEIVERS.watchdog, ...WATCHDOG_TIMING },
      {
        matchers: [severityIs('critical')],
        receiver: criticalReceiver,
        continue: false,
        ...SEVERITY_TIMING.critical,
        ...(areaRoutes.length > 0 ? { routes: areaRoutes } : {}),
      },
      ...(['warning', 'info'] as const).map((severity) => ({
        matchers: [severityIs(severity)],
        receiver: RECEIVERS[severity],
        ...SEVERITY_TIMING[severity],
        mute_time_intervals: [MAINTENANCE_INTERVAL],
      })),
    ],
  };
}

/**
 * A critical alert silences the warning and info alerts of the same name and namespace (the
 * lower thresholds of the same condition), and a warning its info counterpart.
 */
export const INHIBIT_RULES: readonly InhibitRule[] = [
  {
    source_matchers: [severityIs('critical')],
    target_matchers: ['severity=~"warning|info"'],
    equal: ['alertname', 'namespace'],
  },
  {
    source_matchers: [severityIs('warning')],
    target_matchers: [severityIs('info')],
    equal: ['alertname', 'namespace'],
  },
];
