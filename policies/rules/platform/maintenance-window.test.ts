import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import {
  alertmanagerConfig,
  renderAlertmanagerYaml,
} from '../../../infra/alerting/alertmanager/index.js';
import { SAMPLE_ARGS } from '../../../infra/alerting/alertmanager/sample-args.js';
import { ALERTMANAGER_CONFIG_SECRET } from '../../../infra/components/alerting/alertmanager-secrets.js';
import { cloudAlertQuery } from '../../../infra/components/cloud-monitoring-alerts/index.js';
import { redisMaintenancePolicy } from '../../../infra/components/memorystore/settings.js';
import {
  alertmanagerMaintenance,
  cloudSqlMaintenance,
  DEFAULT_MAINTENANCE_WINDOW,
  gkeRecurringWindow,
  type MaintenanceWindow,
  memorystoreMaintenance,
} from '../../../infra/maintenance/window.js';
import { messagesOf, planned, violationsOf } from '../../../test/harness/policy-fixtures.js';
import { cluster, redis, sqlPrimary, sqlReplica } from '../gcp/test-fixtures.js';
import { withInput } from '../gcp/test-helpers.js';
import { maintenanceWindowAgrees } from './maintenance-window.js';

const run = promisify(execFile);
const directories: string[] = [];
afterAll(() => Promise.all(directories.map((dir) => rm(dir, { recursive: true, force: true }))));

const alertmanagerYaml = (window: MaintenanceWindow) =>
  renderAlertmanagerYaml({ ...SAMPLE_ARGS, maintenanceWindow: alertmanagerMaintenance(window) });

/** A Cloud Monitoring policy on a replica's lag at `severity`, its condition built for `window`. */
const lagPolicy = (severity: 'critical' | 'warning', window: MaintenanceWindow) =>
  planned('gcp:monitoring/alertPolicy:AlertPolicy', `aia-production-cloud-alerts-${severity}-lag`, {
    severity: severity.toUpperCase(),
    conditions: [
      {
        displayName: 'lag',
        conditionPrometheusQueryLanguage: {
          query: cloudAlertQuery(
            {
              severity,
              aggregation: 'latest',
              window: '5m',
              threshold: 30,
              series: {
                metricType: 'cloudsql.googleapis.com/database/replication/replica_lag',
                resourceType: 'cloudsql_database',
              },
            },
            window,
          ),
          duration: '300s',
        },
      },
    ],
  });

/** The five systems' resources as the plan has them, each derived from `window`. */
function planFor(window: MaintenanceWindow) {
  const sql = cloudSqlMaintenance(window);
  return {
    warningPolicy: lagPolicy('warning', window),
    criticalPolicy: lagPolicy('critical', window),
    cluster: withInput(cluster(), 'maintenancePolicy', {
      recurringWindow: gkeRecurringWindow(window),
    }),
    primary: withInput(sqlPrimary(), 'settings.maintenanceWindow', {
      ...sql,
      updateTrack: 'stable',
    }),
    replica: sqlReplica(),
    redis: withInput(
      redis(),
      'maintenancePolicy',
      redisMaintenancePolicy(memorystoreMaintenance(window)),
    ),
    alertmanager: planned('kubernetes:core/v1:Secret', 'aia-production-alertmanager-config', {
      metadata: { name: ALERTMANAGER_CONFIG_SECRET, namespace: 'monitoring' },
      stringData: { 'alertmanager.yaml': alertmanagerYaml(window) },
    }),
  };
}

const check = (plan: ReturnType<typeof planFor>) =>
  violationsOf([maintenanceWindowAgrees], Object.values(plan)).then(messagesOf);

describe('platform-maintenance-window', () => {
  it('passes the five systems derived from one window, the default or another', async () => {
    expect(await check(planFor(DEFAULT_MAINTENANCE_WINDOW))).toEqual([]);
    expect(await check(planFor({ day: 'wednesday', startHour: 21, hours: 3 }))).toEqual([]);
  });

  it('flags Cloud SQL maintaining on another day than the others', async () => {
    const plan = planFor(DEFAULT_MAINTENANCE_WINDOW);
    plan.primary = withInput(plan.primary, 'settings.maintenanceWindow.day', 6);
    expect(await check(plan)).toEqual([
      'Cloud SQL instance aia-production-primary opens its maintenance window saturday 02:00 UTC, Alertmanager sunday 02:00 UTC: derive both from aia-platform:maintenance (infra/maintenance/window.ts).',
    ]);
  });

  it('flags Memorystore opening an hour later, and Alertmanager muting another window', async () => {
    const plan = planFor(DEFAULT_MAINTENANCE_WINDOW);
    plan.redis = withInput(
      plan.redis,
      'maintenancePolicy',
      redisMaintenancePolicy({ day: 'SUNDAY', hour: 3 }),
    );
    expect(await check(plan)).toEqual([
      expect.stringContaining(
        'Memorystore instance aia-production-instance opens its maintenance window sunday 03:00 UTC, Alertmanager sunday 02:00 UTC',
      ),
    ]);
    plan.alertmanager = withInput(plan.alertmanager, 'stringData', {
      'alertmanager.yaml': alertmanagerYaml({ day: 'sunday', startHour: 3, hours: 2 }),
    });
    // Against Alertmanager's 03:00: GKE, Cloud SQL and the Cloud Monitoring warning, at 02:00.
    expect(await check(plan)).toHaveLength(3);
  });

  it("flags a Cloud Monitoring warning muted in another window, or in none, and never a critical's", async () => {
    const plan = planFor(DEFAULT_MAINTENANCE_WINDOW);
    plan.warningPolicy = lagPolicy('warning', { day: 'saturday', startHour: 2, hours: 2 });
    expect(await check(plan)).toEqual([
      'Cloud Monitoring warning policy aia-production-cloud-alerts-warning-lag opens its maintenance window saturday 02:00 UTC, Alertmanager sunday 02:00 UTC: derive both from aia-platform:maintenance (infra/maintenance/window.ts).',
    ]);
    // A warning condition without the window: the critical's form.
    plan.warningPolicy = withInput(
      lagPolicy('critical', DEFAULT_MAINTENANCE_WINDOW),
      'severity',
      'WARNING',
    );
    expect(await check(plan)).toEqual([
      'Cloud Monitoring warning policy aia-production-cloud-alerts-critical-lag is not muted in the maintenance window: give it a PromQL condition ending in "unless on() (<window>)" (cloudAlertQuery, infra/components/cloud-monitoring-alerts).',
    ]);
  });

  it('flags a GKE window shorter than GKE accepts, or recurring on another day', async () => {
    const plan = planFor(DEFAULT_MAINTENANCE_WINDOW);
    plan.cluster = withInput(plan.cluster, 'maintenancePolicy.recurringWindow', {
      startTime: '2025-01-05T02:00:00Z',
      endTime: '2025-01-05T04:00:00Z',
      recurrence: 'FREQ=WEEKLY;BYDAY=SA',
    });
    expect(await check(plan)).toEqual([
      'GKE cluster aia-production-cluster recurs "FREQ=WEEKLY;BYDAY=SA", not weekly on the sunday its window opens: use FREQ=WEEKLY;BYDAY=SU.',
      'GKE cluster aia-production-cluster has a 2 h weekly maintenance window: GKE needs 48 h per 32 days, 12 h a week.',
    ]);
  });

  it('flags a cluster without a maintenance window', async () => {
    const plan = planFor(DEFAULT_MAINTENANCE_WINDOW);
    plan.cluster = cluster();
    expect(await check(plan)).toEqual([
      'GKE cluster aia-production-cluster has no recurring maintenance window: set maintenancePolicy.recurringWindow from aia-platform:maintenance.',
    ]);
  });

  it('compares the others when the Alertmanager configuration is redacted', async () => {
    const plan = planFor(DEFAULT_MAINTENANCE_WINDOW);
    plan.alertmanager = withInput(plan.alertmanager, 'stringData', {
      'alertmanager.yaml': '[secret]',
    });
    expect(await check(plan)).toEqual([]);
  });
});

describe('the Alertmanager configuration of another window (real amtool)', () => {
  it('passes check-config, mutes warning and info in it and never critical', async () => {
    const window: MaintenanceWindow = { day: 'wednesday', startHour: 21, hours: 3 };
    const config = alertmanagerConfig({
      ...SAMPLE_ARGS,
      maintenanceWindow: alertmanagerMaintenance(window),
    });
    expect(config.time_intervals).toEqual([
      {
        name: 'maintenance-window',
        time_intervals: [
          {
            weekdays: ['wednesday'],
            times: [{ start_time: '21:00', end_time: '24:00' }],
            location: 'UTC',
          },
        ],
      },
    ]);
    const dir = await mkdtemp(join(tmpdir(), 'aia-maintenance-am-'));
    directories.push(dir);
    await writeFile(join(dir, 'alertmanager.yaml'), alertmanagerYaml(window));
    const { stdout } = await run('amtool', ['check-config', join(dir, 'alertmanager.yaml')]);
    expect(stdout).toContain('SUCCESS');
    const muted = (config.route.routes ?? []).map((route) => [
      route.matchers?.[0],
      route.mute_time_intervals ?? [],
    ]);
    expect(muted).toEqual(
      expect.arrayContaining([
        ['severity="critical"', []],
        ['severity="warning"', ['maintenance-window']],
        ['severity="info"', ['maintenance-window']],
      ]),
    );
  });
});
