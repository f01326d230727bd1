import { describe, expect, it } from 'vitest';
import { DEFAULT_MAINTENANCE_WINDOW, type MaintenanceWindow } from '../../maintenance/window.js';
import { cloudAlertQuery, promqlMetricName } from './query.js';
import { minutesTo, promtoolVerdict } from './testing/promtool-verdict.js';
import type { CloudAlertSeverity } from './types.js';

/** A count summed over five minutes and a gauge's latest point in five, at the given severity. */
const conditions = (severity: CloudAlertSeverity, window: MaintenanceWindow) => [
  {
    name: `LogBurst-${severity}`,
    query: cloudAlertQuery(
      {
        severity,
        aggregation: 'sum',
        window: '5m',
        threshold: 50,
        series: {
          metricType: 'logging.googleapis.com/user/aia-test-http-5xx',
          resourceType: 'k8s_container',
        },
      },
      window,
    ),
    duration: '0s',
  },
  {
    name: `ReplicaLag-${severity}`,
    query: cloudAlertQuery(
      {
        severity,
        aggregation: 'latest',
        window: '5m',
        threshold: 30,
        series: {
          metricType: 'cloudsql.googleapis.com/database/replication/replica_lag',
          resourceType: 'cloudsql_database',
          labels: { database_id: 'p:aia-test-postgres-replica' },
        },
      },
      window,
    ),
    duration: '300s',
  },
];

const names = (list: readonly { name: string }[]) => list.map((condition) => condition.name);

describe('Cloud Monitoring conditions as PromQL', () => {
  it("names Cloud Monitoring's metrics as Google's PromQL mapping does", () => {
    // Google's examples, and a log-based metric with dashes in its name.
    expect(promqlMetricName('logging.googleapis.com/log_entry_count')).toBe(
      'logging_googleapis_com:log_entry_count',
    );
    expect(promqlMetricName('kubernetes.io/container/cpu/limit_cores')).toBe(
      'kubernetes_io:container_cpu_limit_cores',
    );
    expect(promqlMetricName('logging.googleapis.com/user/aia-production-http-5xx')).toBe(
      'logging_googleapis_com:user_aia_production_http_5xx',
    );
  });

  it('keeps the window off critical conditions and puts it on warnings', () => {
    const [critical] = conditions('critical', DEFAULT_MAINTENANCE_WINDOW);
    const [warning] = conditions('warning', DEFAULT_MAINTENANCE_WINDOW);
    expect(critical?.query).toBe(
      'sum(sum_over_time(logging_googleapis_com:user_aia_test_http_5xx{monitored_resource="k8s_container"}[5m])) > 50',
    );
    expect(warning?.query).toBe(
      `(${critical?.query}) unless on() ((day_of_week() == 0) and (hour() >= 2) and (hour() < 4))`,
    );
  });

  it('mutes warnings in the default window, Sunday 02:00–04:00 UTC, while criticals fire (real promtool)', async () => {
    const critical = conditions('critical', DEFAULT_MAINTENANCE_WINDOW);
    const warning = conditions('warning', DEFAULT_MAINTENANCE_WINDOW);
    const all = [...names(critical), ...names(warning)];
    const { stdout } = await promtoolVerdict(
      [...critical, ...warning],
      [
        { minutes: minutesTo('sunday', 2), firing: names(critical) },
        { minutes: minutesTo('sunday', 2, 30), firing: names(critical) },
        { minutes: minutesTo('sunday', 3, 59), firing: names(critical) },
        // Outside: the minute before, when it closes, the same hours another day. A warning
        // held for five minutes fires five minutes after the window closes (pending again).
        { minutes: minutesTo('sunday', 1, 59), firing: all },
        { minutes: minutesTo('sunday', 4), firing: all.filter((n) => n !== 'ReplicaLag-warning') },
        { minutes: minutesTo('sunday', 4, 5), firing: all },
        { minutes: minutesTo('saturday', 2, 30), firing: all },
        { minutes: minutesTo('monday', 2, 30), firing: all },
      ],
    );
    expect(stdout).toContain('SUCCESS');
  });

  it('follows a non-default window to midnight: Wednesday 22:00–24:00 UTC (real promtool)', async () => {
    const window: MaintenanceWindow = { day: 'wednesday', startHour: 22, hours: 2 };
    const critical = conditions('critical', window);
    const warning = conditions('warning', window);
    const all = [...names(critical), ...names(warning)];
    const { stdout } = await promtoolVerdict(
      [...critical, ...warning],
      [
        { minutes: minutesTo('wednesday', 22, 30), firing: names(critical) },
        { minutes: minutesTo('wednesday', 23, 59), firing: names(critical) },
        { minutes: minutesTo('wednesday', 21, 59), firing: all },
        {
          minutes: minutesTo('thursday', 0) + 7 * 1440,
          firing: all.filter((n) => n !== 'ReplicaLag-warning'),
        },
        { minutes: minutesTo('thursday', 0, 5) + 7 * 1440, firing: all },
        { minutes: minutesTo('sunday', 2, 30), firing: all },
      ],
    );
    expect(stdout).toContain('SUCCESS');
  });

  it('sees a lag whose points become visible minutes apart, which a one-minute range misses (real promtool)', async () => {
    // Cloud SQL samples the lag every 60 s and shows a point up to 210 s later: at an evaluation
    // the newest visible point can be minutes old. Modelled as one point every four minutes.
    const lag = (window: string) =>
      cloudAlertQuery(
        {
          severity: 'critical',
          aggregation: 'latest',
          window,
          threshold: 30,
          series: {
            metricType: 'cloudsql.googleapis.com/database/replication/replica_lag',
            resourceType: 'cloudsql_database',
            labels: { database_id: 'p:aia-test-postgres-dr-us-east1' },
          },
        },
        DEFAULT_MAINTENANCE_WINDOW,
      );
    const sparse = (minutes: number) =>
      Array.from({ length: Math.ceil(minutes / 4) }, () => '1000 _x3').join(' ');
    const verdict = promtoolVerdict(
      [
        { name: 'LagLatest', query: lag('5m'), duration: '300s' },
        { name: 'LagLastMinute', query: lag('1m'), duration: '300s' },
      ],
      [{ minutes: 60, firing: ['LagLatest'] }],
      sparse,
    );
    await expect(verdict).resolves.toMatchObject({ stdout: expect.stringContaining('SUCCESS') });
  });

  it('is refused by promtool when a warning would be expected to fire in the window', async () => {
    const warning = conditions('warning', DEFAULT_MAINTENANCE_WINDOW);
    const failing = promtoolVerdict(warning, [
      { minutes: minutesTo('sunday', 2, 30), firing: names(warning) },
    ]);
    await expect(failing).rejects.toMatchObject({
      stderr: expect.stringContaining('LogBurst-warning'),
    });
  });
});
