import type {
  EmailConfig,
  PagerDutyConfig,
  Severity,
  SlackConfig,
  WebhookConfig,
} from './types.js';

/** Receiver names: one per severity, plus the dead-man's switch the Watchdog alert feeds. */
export const RECEIVERS = {
  watchdog: 'dead-mans-switch',
  critical: 'pagerduty-and-slack',
  /** Critical on a stack without PagerDuty: Slack's critical channel only. */
  criticalWithoutPagerDuty: 'slack-critical',
  warning: 'slack',
  info: 'email',
} as const;

/** The receiver paging area `area`'s PagerDuty service (and posting to Slack). */
export const areaReceiver = (area: string): string => `pagerduty-${area}-and-slack`;

/** Events API v2 severity for each alert severity; anything else is sent as `error`. */
export const PAGERDUTY_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: 'critical',
  warning: 'warning',
  info: 'info',
};

const alertList = (alerts: string) =>
  `{{ range ${alerts} }}{{ .Labels.alertname }} {{ .Labels.namespace }}/{{ .Labels.service }}: {{ .Annotations.summary }}\n{{ end }}`;

const pagerdutySeverityTemplate = (): string => {
  const branches = Object.entries(PAGERDUTY_SEVERITY).map(
    ([severity, event]) => `eq .CommonLabels.severity "${severity}" }}${event}`,
  );
  return `{{ if ${branches.join('{{ else if ')}{{ else }}error{{ end }}`;
};

/** Events API v2: one incident per Alertmanager group, resolved when the group resolves. */
export const pagerdutyConfig = (stack: string, routingKeyFile: string): PagerDutyConfig => ({
  routing_key_file: routingKeyFile,
  send_resolved: true,
  severity: pagerdutySeverityTemplate(),
  client: `Alertmanager aia-${stack}`,
  description: `[${stack}] {{ .CommonLabels.alertname }}: {{ .CommonAnnotations.summary }}`,
  class: '{{ .CommonLabels.category }}',
  component: '{{ .CommonLabels.service }}',
  group: '{{ .CommonLabels.namespace }}',
  details: {
    stack,
    firing: alertList('.Alerts.Firing'),
    resolved: alertList('.Alerts.Resolved'),
    num_firing: '{{ .Alerts.Firing | len }}',
  },
  links: [{ href: '{{ .CommonAnnotations.runbook_url }}', text: 'Runbook' }],
});

const SLACK_TEXT = [
  '{{ range .Alerts }}*{{ .Labels.severity }}* · {{ .Labels.category }} · {{ .Labels.namespace }}/{{ .Labels.service }}',
  '{{ .Annotations.summary }}',
  '{{ .Annotations.description }}',
  'Runbook: {{ .Annotations.runbook_url }}',
  '{{ end }}',
].join('\n');

export const slackConfig = (stack: string, channel: string, webhookFile: string): SlackConfig => ({
  api_url_file: webhookFile,
  channel,
  send_resolved: true,
  title: `[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.alertname }} (${stack})`,
  text: SLACK_TEXT,
});

export interface SmtpSettings {
  /** `host:port` of the relay; STARTTLS is required. */
  readonly smarthost: string;
  readonly from: string;
  readonly username: string;
}

export const emailConfig = (
  stack: string,
  to: string,
  smtp: SmtpSettings,
  passwordFile: string,
): EmailConfig => ({
  to,
  from: smtp.from,
  smarthost: smtp.smarthost,
  auth_username: smtp.username,
  auth_password_file: passwordFile,
  require_tls: true,
  send_resolved: true,
  headers: {
    Subject: `[aia-${stack}] {{ .Status | toUpper }} {{ .CommonLabels.alertname }}`,
  },
});

/** The dead-man's switch expects a ping per minute; resolved notifications would mean nothing. */
export const webhookConfig = (url: string): WebhookConfig => ({ url, send_resolved: false });
