import { beforeAll, describe, expect, it } from 'vitest';
import { planStack, queries } from '../test/harness/plan-queries.js';
import { holdsSecret } from '../test/harness/pulumi-mock-stack.js';
import { secretPlaceholder } from '../tools/plan/placeholders.js';

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
    expect(routed('aia-production-postgres-dr-lag')).toEqual(pagePlatform);
    for (const warning of [
      'aia-production-auth-failures',
      'aia-production-ledger-refusals',
      'aia-production-postgres-replica-lag',
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
    expect(policy('aia-production-postgres-replica-lag')).toMatchObject({
      severity: 'WARNING',
      userLabels: { severity: 'warning' },
    });
  });

  it('alerts on each replica lag above its production threshold for five minutes', () => {
    const condition = (key: string) => policy(key).conditions[0].conditionThreshold;
    const lagOf = (instance: string) =>
      `resource.type="cloudsql_database" AND resource.labels.database_id="aia-platform-production:${instance}" AND metric.type="cloudsql.googleapis.com/database/replication/replica_lag"`;
    expect(condition('aia-production-postgres-dr-lag')).toMatchObject({
      filter: lagOf('aia-production-postgres-dr'),
      comparison: 'COMPARISON_GT',
      thresholdValue: 60,
      duration: '300s',
      aggregations: [{ alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_MAX' }],
    });
    expect(condition('aia-production-postgres-replica-lag')).toMatchObject({
      filter: lagOf('aia-production-postgres-replica'),
      thresholdValue: 30,
      duration: '300s',
    });
    expect(policy('aia-production-postgres-dr-lag').documentation.content).toContain(
      'docs/runbooks/incidents/lost-region.md#replication-lag',
    );
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
    expect(policy('aia-production-sql-export-attempt-failures')).toMatchObject({
      conditions: [
        {
          conditionThreshold: {
            filter:
              'resource.type="cloud_scheduler_job" AND metric.type="logging.googleapis.com/user/aia-production-sql-export-attempt-failures"',
            comparison: 'COMPARISON_GT',
            thresholdValue: 0,
            duration: '0s',
          },
        },
      ],
      alertStrategy: { autoClose: '86400s' },
    });
  });

  it('alerts on log bursts over the log-based metrics of the services lines', () => {
    expect(policy('aia-production-http-5xx').conditions[0].conditionThreshold).toMatchObject({
      filter:
        'resource.type="k8s_container" AND metric.type="logging.googleapis.com/user/aia-production-http-5xx"',
      thresholdValue: 50,
      aggregations: [
        {
          alignmentPeriod: '300s',
          perSeriesAligner: 'ALIGN_SUM',
          crossSeriesReducer: 'REDUCE_SUM',
        },
      ],
    });
  });
});
