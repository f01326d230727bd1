import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  alertmanagerConfig,
  alertmanagerMountedSecrets,
  DEFAULT_SECRET_FILES,
  MAINTENANCE_INTERVAL,
  type Route,
  renderAlertmanagerYaml,
  SECRETS_DIR,
} from './index.js';
import { SAMPLE_ARGS } from './sample-args.js';

const config = alertmanagerConfig(SAMPLE_ARGS);
const routeFor = (matcher: string): Route | undefined =>
  config.route.routes?.find((route) => route.matchers?.includes(matcher));

/** Every `[key, value]` pair in a nested value, arrays and objects walked. */
function entries(value: unknown): [string, unknown][] {
  if (Array.isArray(value)) return value.flatMap(entries);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => [
    [key, inner] as [string, unknown],
    ...entries(inner),
  ]);
}

describe('alertmanagerConfig', () => {
  it('groups by alert, namespace and service', () => {
    expect(config.route.group_by).toEqual(['alertname', 'namespace', 'service']);
  });

  it('repeats critical hourly, warning every 4 hours and info daily', () => {
    expect(routeFor('severity="critical"')).toMatchObject({
      receiver: 'pagerduty-and-slack',
      continue: false,
      repeat_interval: '1h',
    });
    expect(routeFor('severity="warning"')).toMatchObject({
      receiver: 'slack',
      repeat_interval: '4h',
    });
    expect(routeFor('severity="info"')).toMatchObject({
      receiver: 'email',
      repeat_interval: '24h',
    });
  });

  it('sends the Watchdog to the dead-mans switch every minute, before any severity route', () => {
    expect(config.route.routes?.[0]).toMatchObject({
      matchers: ['watchdog="true"'],
      receiver: 'dead-mans-switch',
      repeat_interval: '1m',
    });
    const watchdog = config.receivers.find((receiver) => receiver.name === 'dead-mans-switch');
    expect(watchdog?.webhook_configs).toEqual([
      { url: SAMPLE_ARGS.deadMansSwitchUrl, send_resolved: false },
    ]);
  });

  it('lets a critical alert inhibit warning and info alerts of the same alert and namespace', () => {
    expect(config.inhibit_rules).toContainEqual({
      source_matchers: ['severity="critical"'],
      target_matchers: ['severity=~"warning|info"'],
      equal: ['alertname', 'namespace'],
    });
  });

  it('mutes warning and info during the Sunday 02:00–04:00 UTC window, never pages or the Watchdog', () => {
    expect(config.time_intervals).toEqual([
      {
        name: MAINTENANCE_INTERVAL,
        time_intervals: [
          {
            weekdays: ['sunday'],
            times: [{ start_time: '02:00', end_time: '04:00' }],
            location: 'UTC',
          },
        ],
      },
    ]);
    expect(routeFor('severity="warning"')?.mute_time_intervals).toEqual([MAINTENANCE_INTERVAL]);
    expect(routeFor('severity="info"')?.mute_time_intervals).toEqual([MAINTENANCE_INTERVAL]);
    const unmuted = [routeFor('severity="critical"'), routeFor('watchdog="true"'), config.route];
    for (const route of unmuted) expect(route).not.toHaveProperty('mute_time_intervals');
    expect(JSON.stringify(routeFor('severity="critical"'))).not.toContain(MAINTENANCE_INTERVAL);
  });

  it('pages PagerDuty with the Events API v2 severity of the alert and posts to the incidents channel', () => {
    const receiver = config.receivers.find((r) => r.name === 'pagerduty-and-slack');
    expect(receiver?.pagerduty_configs?.[0]).toMatchObject({
      routing_key_file: DEFAULT_SECRET_FILES.pagerdutyKeyFile,
      send_resolved: true,
      class: '{{ .CommonLabels.category }}',
      component: '{{ .CommonLabels.service }}',
    });
    expect(receiver?.pagerduty_configs?.[0]?.severity).toContain(
      'eq .CommonLabels.severity "critical" }}critical',
    );
    expect(receiver?.slack_configs?.[0]?.channel).toBe('#aia-incidents');
  });

  it('pages an area’s own PagerDuty service for the critical alerts of its services', () => {
    expect(routeFor('severity="critical"')?.routes).toEqual([
      { matchers: ['service=~"economic-governor"'], receiver: 'pagerduty-ledger-and-slack' },
    ]);
    const ledger = config.receivers.find((r) => r.name === 'pagerduty-ledger-and-slack');
    expect(ledger?.pagerduty_configs?.[0]?.routing_key_file).toBe(
      '/etc/alertmanager/secrets/pagerduty-ledger/routing-key',
    );
  });

  it('reads every credential from a mounted Secret file and writes none inline', () => {
    const pairs = entries(config);
    const inline = ['routing_key', 'service_key', 'api_url', 'auth_password', 'auth_secret'];
    expect(pairs.filter(([key]) => inline.includes(key))).toEqual([]);
    const files = pairs.filter(([key]) => key.endsWith('_file'));
    expect(files.map(([key]) => key).sort()).toEqual([
      'api_url_file',
      'api_url_file',
      'api_url_file',
      'auth_password_file',
      'routing_key_file',
      'routing_key_file',
    ]);
    for (const [, file] of files) expect(file).toMatch(new RegExp(`^${SECRETS_DIR}/[^/]+/[^/]+$`));
    expect(alertmanagerMountedSecrets(SAMPLE_ARGS)).toEqual([
      'alertmanager-pagerduty',
      'alertmanager-slack',
      'alertmanager-smtp',
      'pagerduty-ledger',
    ]);
  });

  it('without PagerDuty sends critical alerts to the critical Slack channel and reads no key', () => {
    const { pagerdutyAreas: _, ...withoutAreas } = SAMPLE_ARGS;
    const slackOnly = alertmanagerConfig({ ...withoutAreas, pagerduty: false });
    const critical = slackOnly.route.routes?.find((route) =>
      route.matchers?.includes('severity="critical"'),
    );
    expect(critical?.receiver).toBe('slack-critical');
    expect(critical?.routes).toBeUndefined();
    expect(slackOnly.receivers.find((r) => r.name === 'slack-critical')).toEqual({
      name: 'slack-critical',
      slack_configs: [expect.objectContaining({ channel: '#aia-incidents' })],
    });
    expect(JSON.stringify(slackOnly)).not.toContain('pagerduty');
    expect(alertmanagerMountedSecrets({ ...withoutAreas, pagerduty: false })).toEqual([
      'alertmanager-slack',
      'alertmanager-smtp',
    ]);
    expect(() => alertmanagerConfig({ ...SAMPLE_ARGS, pagerduty: false })).toThrow(
      'pagerdutyAreas is set but pagerduty is false',
    );
  });

  it('renders YAML that parses back to the same object, times quoted', () => {
    const yaml = renderAlertmanagerYaml(SAMPLE_ARGS);
    expect(parse(yaml)).toEqual(JSON.parse(JSON.stringify(config)));
    expect(yaml).toMatch(/^# Generated from infra\/alerting\/alertmanager for stack production/);
    expect(yaml).toContain('start_time: "02:00"');
  });

  it('refuses a secret file outside the mounted Secrets, saying which argument', () => {
    expect(() =>
      alertmanagerConfig({ ...SAMPLE_ARGS, pagerdutyKeyFile: '/tmp/routing-key' }),
    ).toThrow(/pagerdutyKeyFile is "\/tmp\/routing-key": expected \/etc\/alertmanager\/secrets/);
  });

  it('refuses settings Alertmanager or Slack would not accept', () => {
    const bad = [
      { slackChannels: { critical: 'incidents', warning: '#aia-alerts' } },
      { deadMansSwitchUrl: 'http://deadmans-switch.example.com/ping' },
      { maintenanceWindow: { weekday: 'sunday', start: '04:00', end: '02:00', location: 'UTC' } },
      { pagerdutyAreas: { Ledger: { services: ['economic-governor'], keyFile: '/x' } } },
    ] as const;
    for (const override of bad) {
      expect(() => alertmanagerConfig({ ...SAMPLE_ARGS, ...override })).toThrow(/expected/);
    }
  });
});
