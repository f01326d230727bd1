import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAINTENANCE_WINDOW } from '../../maintenance/window.js';
import { cloudAlertQuery } from '../cloud-monitoring-alerts/index.js';
import { REPLICA_LAG_THRESHOLDS, replicaLagAlert } from './replica-lag-alerts.js';

/** The runbook's text with its line breaks as spaces. */
const runbook = readFileSync(
  join(import.meta.dirname, '../../../docs/runbooks/incidents/lost-region.md'),
  'utf8',
).replace(/\s+/g, ' ');

describe('replica lag alerts', () => {
  it('page at the RPO target the lost-region runbook states, in production', () => {
    const { seconds, severity } = REPLICA_LAG_THRESHOLDS.production.disasterRecovery;
    expect(severity).toBe('critical');
    // A target the alert keeps, not a bound: replication is asynchronous.
    expect(runbook).toContain(`the target is ${seconds} s, kept by alerting, not a bound`);
    expect(runbook).toContain(`over ${seconds} s for 5 minutes`);
  });

  it('never page on staging, nor for the read replica', () => {
    for (const stack of ['staging', 'production'] as const) {
      expect(REPLICA_LAG_THRESHOLDS[stack].read.severity).toBe('warning');
    }
    expect(REPLICA_LAG_THRESHOLDS.staging.disasterRecovery.severity).toBe('warning');
  });

  it("select the one replica's lag series by its database id", () => {
    const alert = replicaLagAlert('production', 'p', 'read', 'aia-production-postgres-replica');
    expect(alert).toMatchObject({
      key: 'aia-production-postgres-replica-lag',
      threshold: REPLICA_LAG_THRESHOLDS.production.read.seconds,
      aggregation: 'latest',
      window: '5m',
    });
    const series = { ...alert.series, metricType: alert.series.metricType as string };
    expect(cloudAlertQuery({ ...alert, series }, DEFAULT_MAINTENANCE_WINDOW)).toBe(
      '(max(last_over_time(cloudsql_googleapis_com:database_replication_replica_lag{monitored_resource="cloudsql_database",database_id="p:aia-production-postgres-replica"}[5m])) > 30) unless on() ((day_of_week() == 0) and (hour() >= 2) and (hour() < 4))',
    );
  });
});
