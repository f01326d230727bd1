import type { AlertmanagerConfigArgs } from './config.js';

/** Arguments the tests build configurations from: production, with one PagerDuty area. */
export const SAMPLE_ARGS: AlertmanagerConfigArgs = {
  stack: 'production',
  slackChannels: { critical: '#aia-incidents', warning: '#aia-alerts' },
  emailTo: 'platform-team@example.com',
  smtp: {
    smarthost: 'smtp.example.com:587',
    from: 'alertmanager@example.com',
    username: 'alertmanager',
  },
  deadMansSwitchUrl: 'https://deadmans-switch.example.com/ping/aia-production',
  pagerdutyAreas: {
    ledger: {
      services: ['economic-governor'],
      keyFile: '/etc/alertmanager/secrets/pagerduty-ledger/routing-key',
    },
  },
};

/** The seed's categories and the severity each category's alerts carry. */
export const CATEGORY_SEVERITY = {
  system_down: 'critical',
  data_loss: 'critical',
  security_breach: 'critical',
  high_resource_usage: 'warning',
  performance_degradation: 'warning',
  improvement_failures: 'warning',
  deployment_completed: 'info',
  scheduled_maintenance: 'info',
  system_updates: 'info',
} as const;
