import type { Severity } from './alertmanager/types.js';

/** Where an alert can be sent: PagerDuty (the area's service), a Slack channel, e-mail. */
export type Destination = 'pagerduty' | 'slack' | 'email';

/**
 * Who each severity tells (docs/alerting.md): critical pages PagerDuty and posts to Slack,
 * warning posts to Slack, info sends e-mail. The one table both alert paths follow:
 * Alertmanager's receivers (checked against it by `severity-destinations.test.ts`) and the
 * Cloud Monitoring alert policies (`infra/components/cloud-monitoring-alerts`).
 */
export const SEVERITY_DESTINATIONS: Readonly<Record<Severity, readonly Destination[]>> = {
  critical: ['pagerduty', 'slack'],
  warning: ['slack'],
  info: ['email'],
};
