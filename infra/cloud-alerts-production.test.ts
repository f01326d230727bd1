import { beforeAll, describe, expect, it } from 'vitest';
import { maintenanceWindowAgrees } from '../policies/rules/platform/maintenance-window.js';
import { planStack, queries } from '../test/harness/plan-queries.js';
import { messagesOf, planned, violationsOf } from '../test/harness/policy-fixtures.js';
import { holdsSecret } from '../test/harness/pulumi-mock-stack.js';
import { secretPlaceholder } from '../tools/plan/placeholders.js';
import {
  minutesTo,
  promtoolVerdict,
} from './components/cloud-monitoring-alerts/testing/promtool-verdict.js';

// One plan per file (Pulumi's state is global): the production stack's Cloud Monitoring alerts,
// their notification channels and how each is routed. Staging: cloud-alerts-staging.test.ts.
let q: ReturnType<typeof queries>;
const CHANNEL = 'gcp:monitoring/notificationChannel:NotificationChannel';
const POLICY = 'gcp:monitoring/alertPolicy:AlertPolicy';

beforeAll(async () => {
  q = queries(await planStack('production'));
});

describe('production Cloud Monitoring alerts (offline plan)', () => {
  const channelName = (resource: string) =>
    `projects/aia-platform-production/notificationChannels/aia-production-cloud-alerts-${resource}`;
  const policy = (key: string) => {
    const found = q
      .ofType(POLICY)
      .find((resource) => resource.name === `aia-production-cloud-alerts-${key}`);
    return q.inputsOf(found);
  };

  it('has one e-mail channel and a PagerDuty channel per area, its key only a sensitive secret label', () => {
    const channels = q.ofType(CHANNEL);
    expect(channels.map((channel) => channel.name).sort()).toEqual([
      'aia-production-cloud-alerts-email',
      'aia-production-cloud-alerts-pagerduty-agents',
      'aia-production-cloud-alerts-pagerduty-ledger',
      'aia-production-cloud-alerts-pagerduty-platform',
    ]);
    expect(q.inputsOf(channels.find((c) => c.name.endsWith('-email')))).toMatchObject({
      type: 'email',
      labels: { email_address: 'platform-team@aia-platform.dev' },
    });
    for (const area of ['agents', 'ledger', 'platform']) {
      const channel = channels.find((c) => c.name.endsWith(`-pagerduty-${area}`));
      const inputs = q.inputsOf(channel);
      expect(inputs.type).toBe('pagerduty');
      expect(inputs.labels ?? {}).toEqual({});
      // Cloud Monitoring's own integration of the area's PagerDuty service, not Alertmanager's.
      expect(inputs.sensitiveLabels).toEqual({
        serviceKey: secretPlaceholder(`aia-production-pagerduty-${area}-cloud-monitoring`),
      });
      expect(holdsSecret(channel?.inputs.sensitiveLabels)).toBe(true);
    }
  });

  it('pages the area of a critical alert and e-mails, and e-mails a warning (Slack is out of its reach)', () => {
    const routed = (key: string) => policy(key).notificationChannels;
    const email = channelName('email');
    const pagePlatform = [channelName('pagerduty-platform'), email];
    expect(routed('aia-production-http-5xx')).toEqual(pagePlatform);
    expect(routed('aia-production-postgres-dr-us-east1-lag')).toEqual(pagePlatform);
    for (const warning of [
      'aia-production-auth-failures',
      'aia-production-ledger-refusals',
      'aia-production-postgres-replica-us-central1-lag',
      'aia-production-sql-export-attempt-failures',
      'aia-production-sql-export-operation-failures',
    ]) {
      expect(routed(warning), warning).toEqual([email]);
    }
    expect(q.ofType(POLICY)).toHaveLength(7);
  });

  it('carries the platform severity on every policy, as Cloud Monitoring and as a label', () => {
    expect(policy('aia-production-http-5xx')).toMatchObject({
      severity: 'CRITICAL',
      userLabels: { severity: 'critical' },
    });
    expect(policy('aia-production-postgres-replica-us-central1-lag')).toMatchObject({
      severity: 'WARNING',
      userLabels: { severity: 'warning' },
    });
  });

  const condition = (key: string) => policy(key).conditions[0].conditionPrometheusQueryLanguage;
  const SUNDAY_WINDOW = '((day_of_week() == 0) and (hour() >= 2) and (hour() < 4))';

  it('alerts on each replica lag above its production threshold for five minutes, the warning muted in the window', () => {
    const lagOf = (instance: string) =>
      `max(last_over_time(cloudsql_googleapis_com:database_replication_replica_lag{monitored_resource="cloudsql_database",database_id="aia-platform-production:${instance}"}[5m]))`;
    expect(condition('aia-production-postgres-dr-us-east1-lag')).toEqual({
      query: `${lagOf('aia-production-postgres-dr-us-east1')} > 60`,
      duration: '300s',
      evaluationInterval: '60s',
      disableMetricValidation: true,
    });
    expect(condition('aia-production-postgres-replica-us-central1-lag')).toEqual({
      query: `(${lagOf('aia-production-postgres-replica-us-central1')} > 30) unless on() ${SUNDAY_WINDOW}`,
      duration: '300s',
      evaluationInterval: '60s',
      disableMetricValidation: true,
    });
    expect(policy('aia-production-postgres-dr-us-east1-lag').documentation.content).toContain(
      'docs/runbooks/incidents/lost-region.md#replication-lag',
    );
  });

  it("mutes every warning, and no critical, in production's window (real promtool)", async () => {
    const rendered = q.ofType(POLICY).map((resource) => {
      const inputs = q.inputsOf(resource);
      const { query, duration } = inputs.conditions[0].conditionPrometheusQueryLanguage;
      return { name: resource.name, query, duration, severity: inputs.userLabels.severity };
    });
    const named = (severity: string) =>
      rendered.filter((c) => c.severity === severity).map((c) => c.name);
    expect(named('critical')).toHaveLength(2);
    expect(named('warning')).toHaveLength(5);
    const all = rendered.map((c) => c.name);
    const { stdout } = await promtoolVerdict(rendered, [
      { minutes: minutesTo('sunday', 2, 30), firing: named('critical') },
      { minutes: minutesTo('sunday', 3, 55), firing: named('critical') },
      { minutes: minutesTo('saturday', 2, 30), firing: all },
      { minutes: minutesTo('sunday', 4, 10), firing: all },
    ]);
    expect(stdout).toContain('SUCCESS');
  });

  it('passes platform-maintenance-window: every warning opens its window with Cloud SQL, Memorystore and GKE', async () => {
    const types = [
      POLICY,
      'gcp:container/cluster:Cluster',
      'gcp:sql/databaseInstance:DatabaseInstance',
      'gcp:redis/instance:Instance',
    ];
    const resources = types.flatMap((type) =>
      q.ofType(type).map((resource) => planned(type, resource.name, q.inputsOf(resource))),
    );
    expect(resources.filter((resource) => resource.type === POLICY)).toHaveLength(7);
    expect(messagesOf(await violationsOf([maintenanceWindowAgrees], resources))).toEqual([]);
  });

  it('counts failed export attempts and operations in log-based metrics and alerts on the first', () => {
    const metric = (name: string) =>
      q.inputsOf(q.ofType('gcp:logging/metric:Metric').find((m) => q.inputsOf(m).name === name));
    expect(metric('aia-production-sql-export-attempt-failures').filter).toBe(
      'resource.type="cloud_scheduler_job" AND resource.labels.job_id=~"^aia-production-export-" AND jsonPayload."@type"="type.googleapis.com/google.cloud.scheduler.logging.AttemptFinished" AND severity>=ERROR',
    );
    expect(metric('aia-production-sql-export-operation-failures').filter).toBe(
      'resource.type="cloudsql_database" AND resource.labels.database_id="aia-platform-production:aia-production-postgres" AND protoPayload.methodName="cloudsql.instances.export" AND (severity>=ERROR OR protoPayload.status.code>0)',
    );
    // Every export job's name starts with what the attempt metric selects.
    for (const job of q.ofType('gcp:cloudscheduler/job:Job').map(q.inputsOf)) {
      expect(job.name).toMatch(/^aia-production-export-/);
    }
    expect(condition('aia-production-sql-export-attempt-failures')).toMatchObject({
      query: `(sum(sum_over_time(logging_googleapis_com:user_aia_production_sql_export_attempt_failures{monitored_resource="cloud_scheduler_job"}[5m])) > 0) unless on() ${SUNDAY_WINDOW}`,
      duration: '0s',
    });
    expect(policy('aia-production-sql-export-attempt-failures').alertStrategy).toEqual({
      autoClose: '86400s',
    });
  });

  it('alerts on log bursts over the log-based metrics of the services lines', () => {
    // The lines of every container in five minutes: each point of the DELTA count holds its own.
    expect(condition('aia-production-http-5xx')).toEqual({
      query:
        'sum(sum_over_time(logging_googleapis_com:user_aia_production_http_5xx{monitored_resource="k8s_container"}[5m])) > 50',
      duration: '0s',
      evaluationInterval: '60s',
      disableMetricValidation: true,
    });
    expect(condition('aia-production-auth-failures').query).toBe(
      `(sum(sum_over_time(logging_googleapis_com:user_aia_production_auth_failures{monitored_resource="k8s_container"}[5m])) > 100) unless on() ${SUNDAY_WINDOW}`,
    );
    expect(policy('aia-production-http-5xx').alertStrategy).toEqual({ autoClose: '1800s' });
  });
});
