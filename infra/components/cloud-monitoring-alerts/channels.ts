import { type Destination, SEVERITY_DESTINATIONS } from '../../alerting/severity-destinations.js';
import type { CloudAlertSeverity } from './types.js';

/**
 * Where a Cloud Monitoring alert can go. Cloud Monitoring reaches PagerDuty (a `pagerduty`
 * channel per area) and e-mail; it does not reach the Slack channels Alertmanager posts to (a
 * `slack` channel needs a Slack app's OAuth token, not the incoming webhook the stack holds), so
 * a Slack destination is sent by e-mail instead.
 */
export interface ChannelChoice<C> {
  /** PagerDuty channel per area; empty on a stack without PagerDuty. */
  readonly pagerduty: Readonly<Record<string, C>>;
  /** Services of each PagerDuty area (`alerting.pagerduty.areas.<area>.services`). */
  readonly areaServices: Readonly<Record<string, readonly string[]>>;
  /** Area paged for an alert about no service, or a service of no area. */
  readonly defaultArea: string;
  readonly email: C;
}

/**
 * The channels an alert of `severity` about `service` notifies, following the platform's one
 * severity table (`SEVERITY_DESTINATIONS`): critical pages the PagerDuty area whose services
 * include `service` (else the default area) and sends e-mail in place of Slack; warning sends
 * e-mail. On a stack without PagerDuty a critical alert is sent by e-mail only, as Alertmanager
 * then posts it to Slack's critical channel only.
 */
export function channelsFor<C>(
  severity: CloudAlertSeverity,
  service: string | undefined,
  choice: ChannelChoice<C>,
): C[] {
  const area =
    Object.entries(choice.areaServices).find(
      ([, services]) => service !== undefined && services.includes(service),
    )?.[0] ?? choice.defaultArea;
  const channelOf = (destination: Destination): C | undefined =>
    destination === 'pagerduty' ? choice.pagerduty[area] : choice.email;
  const channels = SEVERITY_DESTINATIONS[severity]
    .map(channelOf)
    .filter((channel): channel is C => channel !== undefined);
  return [...new Set(channels.length > 0 ? channels : [choice.email])];
}
