import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ofType,
  type RecordedResource,
  startMockStack,
} from '../../../test/harness/pulumi-mock-stack.js';
import { DEFAULT_MAINTENANCE_WINDOW } from '../../maintenance/window.js';
import type { CloudAlert } from './types.js';

const CHANNEL = 'gcp:monitoring/notificationChannel:NotificationChannel';
const POLICY = 'gcp:monitoring/alertPolicy:AlertPolicy';

const alert = (key: string, severity: CloudAlert['severity']): CloudAlert => ({
  key,
  displayName: key,
  severity,
  series: { metricType: `logging.googleapis.com/user/${key}`, resourceType: 'k8s_container' },
  aggregation: 'sum',
  window: '5m',
  threshold: 1,
  duration: '0s',
  documentation: key,
});

// A stack without PagerDuty (the plans of both stacks have it: cloud-alerts-*.test.ts).
describe('CloudMonitoringAlerts without PagerDuty (mocks)', () => {
  let recorded: RecordedResource[];
  let build: typeof import('./cloud-monitoring-alerts.js').CloudMonitoringAlerts;
  const base = {
    project: 'p',
    prefix: 'aia-test',
    emailTo: 'team@example.com',
    labels: {},
    maintenance: DEFAULT_MAINTENANCE_WINDOW,
  };

  beforeAll(async () => {
    recorded = await startMockStack('staging', ({ type, name }) =>
      type === CHANNEL ? { name: `projects/p/notificationChannels/${name}` } : {},
    );
    build = (await import('./cloud-monitoring-alerts.js')).CloudMonitoringAlerts;
    new build('quiet', { ...base, alerts: [alert('burst', 'critical'), alert('slow', 'warning')] });
    await pulumi.runtime.disconnect();
  });

  it('creates only the e-mail channel and sends critical and warning alerts there', () => {
    expect(ofType(recorded, CHANNEL).map((channel) => channel.plain.type)).toEqual(['email']);
    for (const policy of ofType(recorded, POLICY)) {
      expect(policy.plain.notificationChannels).toEqual([
        'projects/p/notificationChannels/quiet-email',
      ]);
    }
    expect(ofType(recorded, POLICY).map((policy) => policy.plain.severity)).toEqual([
      'CRITICAL',
      'WARNING',
    ]);
  });

  it('creates each policy without waiting for its metric to exist, as a first pulumi up needs', () => {
    // A log-based metric created in the same update is unknown to Cloud Monitoring for minutes.
    for (const policy of ofType(recorded, POLICY)) {
      expect(policy.plain.conditions).toMatchObject([
        { conditionPrometheusQueryLanguage: { disableMetricValidation: true } },
      ]);
    }
  });

  it('refuses a default area without a PagerDuty key, and two alerts with one key', () => {
    expect(
      () =>
        new build('no-default', {
          ...base,
          pagerdutyKeys: { ledger: 'k' },
          alerts: [],
        }),
    ).toThrow(/defaultArea is platform, which has no PagerDuty key \(areas: ledger\)/);
    expect(
      () =>
        new build('twice', { ...base, alerts: [alert('a', 'warning'), alert('a', 'critical')] }),
    ).toThrow('two Cloud Monitoring alerts have key a');
  });
});
