/**
 * The part of Alertmanager's configuration file (0.25) this package writes, with the file's own
 * snake_case keys, so that an object of these types serialises to `alertmanager.yaml` as is.
 */

export type Severity = 'critical' | 'warning' | 'info';

export interface Route {
  readonly receiver?: string;
  readonly group_by?: readonly string[];
  readonly matchers?: readonly string[];
  readonly continue?: boolean;
  readonly group_wait?: string;
  readonly group_interval?: string;
  readonly repeat_interval?: string;
  readonly mute_time_intervals?: readonly string[];
  readonly routes?: readonly Route[];
}

export interface InhibitRule {
  readonly source_matchers: readonly string[];
  readonly target_matchers: readonly string[];
  readonly equal: readonly string[];
}

export interface TimeRange {
  readonly start_time: string;
  readonly end_time: string;
}

export interface TimeInterval {
  readonly name: string;
  readonly time_intervals: readonly {
    readonly weekdays: readonly string[];
    readonly times: readonly TimeRange[];
    readonly location: string;
  }[];
}

export interface PagerDutyConfig {
  readonly routing_key_file: string;
  readonly send_resolved: boolean;
  readonly severity: string;
  readonly client: string;
  readonly description: string;
  readonly class: string;
  readonly component: string;
  readonly group: string;
  readonly details: Readonly<Record<string, string>>;
  readonly links: readonly { readonly href: string; readonly text: string }[];
}

export interface SlackConfig {
  readonly api_url_file: string;
  readonly channel: string;
  readonly send_resolved: boolean;
  readonly title: string;
  readonly text: string;
}

export interface EmailConfig {
  readonly to: string;
  readonly from: string;
  readonly smarthost: string;
  readonly auth_username: string;
  readonly auth_password_file: string;
  readonly require_tls: boolean;
  readonly send_resolved: boolean;
  readonly headers: Readonly<Record<string, string>>;
}

export interface WebhookConfig {
  readonly url: string;
  readonly send_resolved: boolean;
}

export interface Receiver {
  readonly name: string;
  readonly pagerduty_configs?: readonly PagerDutyConfig[];
  readonly slack_configs?: readonly SlackConfig[];
  readonly email_configs?: readonly EmailConfig[];
  readonly webhook_configs?: readonly WebhookConfig[];
}

export interface AlertmanagerConfig {
  readonly global: { readonly resolve_timeout: string };
  readonly route: Route;
  readonly inhibit_rules: readonly InhibitRule[];
  readonly time_intervals: readonly TimeInterval[];
  readonly receivers: readonly Receiver[];
}
