import { beforeAll, describe, expect, it, vi } from 'vitest';
import { planStack, queries } from '../test/harness/plan-queries.js';
import { SECRET_MARKER } from '../tools/plan/placeholders.js';
import type { Plan } from '../tools/plan/run-plan.js';
import { stackOutputsSchema } from './outputs.js';

let plan: Plan;
let q: ReturnType<typeof queries>;
const warnings: string[] = [];

beforeAll(async () => {
  // Without an engine, pulumi.log.warn writes to console.warn.
  const warn = vi.spyOn(console, 'warn').mockImplementation((message: string) => {
    warnings.push(String(message));
  });
  try {
    plan = await planStack('staging');
  } finally {
    warn.mockRestore();
  }
  q = queries(plan);
});

describe('staging stack (offline plan)', () => {
  it('records resources', () => {
    expect(plan.resources.length).toBeGreaterThan(20);
  });

  it('runs a zonal cluster without deletion protection, still private and Workload Identity', () => {
    const cluster = q.one('gcp:container/cluster:Cluster');
    expect(cluster.location).toBe('us-central1-a');
    expect(cluster.deletionProtection).toBe(false);
    expect(cluster.privateClusterConfig.enablePrivateNodes).toBe(true);
    expect(cluster.workloadIdentityConfig.workloadPool).toBe('aia-platform-staging.svc.id.goog');
    expect(cluster.binaryAuthorization.evaluationMode).toBe('DISABLED');
  });

  it('runs one zonal Cloud SQL instance without replica, still private and encrypted', () => {
    const sql = q.one('gcp:sql/databaseInstance:DatabaseInstance');
    expect(sql.settings.availabilityType).toBe('ZONAL');
    expect(sql.settings.ipConfiguration.ipv4Enabled).toBe(false);
    expect(sql.deletionProtection).toBe(false);
    expect(sql.settings.deletionProtectionEnabled).toBe(false);
    expect(sql.settings.backupConfiguration.pointInTimeRecoveryEnabled).toBe(true);
  });

  it('runs a basic Memorystore instance, still with AUTH and TLS', () => {
    expect(q.one('gcp:redis/instance:Instance')).toMatchObject({
      tier: 'BASIC',
      authEnabled: true,
      transitEncryptionMode: 'SERVER_AUTHENTICATION',
    });
  });

  it('plans without LLM provider keys, warning about each class its LLM services call', () => {
    const classes = warnings.flatMap(
      (w) => /LLM class "([a-z-]+)" has no enabled provider/.exec(w)?.[1] ?? [],
    );
    expect(classes.sort()).toEqual(['fast', 'strong']);
    expect(warnings.join('\n')).toContain('set aia-platform:openaiApiKey (secret), or');
  });

  it('exports the stack-output contract without a replica and without secret values', () => {
    const outputs = stackOutputsSchema.parse(plan.outputs);
    expect(outputs.sql.replicaConnectionName).toBeUndefined();
    expect(outputs.backups.configBucket).toBe('aia-staging-config-backups-us');
    expect(outputs.services['aia-api']?.resources).toEqual({
      requests: { cpu: '500m', memory: '1Gi' },
      limits: { cpu: '2000m', memory: '4Gi' },
    });
    expect(JSON.stringify(plan.outputs)).not.toContain(SECRET_MARKER);
  });

  it('maintains GKE, Cloud SQL and Memorystore and mutes alerts in its one window, Sunday 03:00', () => {
    const cluster = q.one('gcp:container/cluster:Cluster');
    expect(cluster.maintenancePolicy.recurringWindow).toEqual({
      startTime: '2025-01-05T03:00:00Z',
      endTime: '2025-01-05T15:00:00Z',
      recurrence: 'FREQ=WEEKLY;BYDAY=SU',
    });
    const primary = q
      .ofType('gcp:sql/databaseInstance:DatabaseInstance')
      .map(q.inputsOf)
      .find((instance) => !instance.masterInstanceName);
    expect(primary?.settings.maintenanceWindow).toMatchObject({ day: 7, hour: 3 });
    expect(q.one('gcp:redis/instance:Instance').maintenancePolicy.weeklyMaintenanceWindows).toEqual(
      [{ day: 'SUNDAY', startTime: { hours: 3, minutes: 0, seconds: 0, nanos: 0 } }],
    );
    const alertmanager = q
      .ofType('kubernetes:core/v1:Secret')
      .map(q.inputsOf)
      .find((secret) => secret.metadata?.name === 'alertmanager-aia');
    expect(alertmanager?.stringData['alertmanager.yaml']).toContain(
      '- weekdays:\n          - sunday\n        times:\n          - start_time: "03:00"\n            end_time: "05:00"',
    );
    const announcement = q
      .ofType('kubernetes:monitoring.coreos.com/v1:PrometheusRule')
      .map(q.inputsOf)
      .flatMap((rule) => rule.spec.groups)
      .flatMap((group) => group.rules)
      .find((rule) => rule.alert === 'MaintenanceWindowAhead');
    expect(announcement?.expr).toBe('(day_of_week() == 6) and (hour() == 3)');
  });

  it('keeps every container log 30 days in Cloud Logging and counts log bursts and failed exports', () => {
    expect(q.one('gcp:logging/projectBucketConfig:ProjectBucketConfig')).toMatchObject({
      bucketId: '_Default',
      location: 'global',
      retentionDays: 30,
    });
    const metrics = q.ofType('gcp:logging/metric:Metric').map(q.inputsOf);
    expect(metrics.map((metric) => metric.name).sort()).toEqual([
      'aia-staging-auth-failures',
      'aia-staging-http-5xx',
      'aia-staging-ledger-refusals',
      'aia-staging-sql-export-attempt-failures',
      'aia-staging-sql-export-operation-failures',
    ]);
    // Their alerts and routing: cloud-alerts-staging.test.ts.
  });

  it('exports every database daily to its own bucket through Cloud Scheduler, 15 minutes apart, done before the backup window', () => {
    const jobs = q.ofType('gcp:cloudscheduler/job:Job').map(q.inputsOf);
    const databases = q.ofType('gcp:sql/database:Database').map((db) => q.inputsOf(db).name);
    expect(jobs).toHaveLength(databases.length);
    // From 22:00, so the last (and an hour's margin) ends before the backup window opens at
    // 01:00, two hours before the Sunday maintenance window (export-window.ts).
    expect(jobs.map((job) => job.schedule)).toEqual(
      databases.map(
        (_, index) => `${(index * 15) % 60} ${22 + Math.floor((index * 15) / 60)} * * *`,
      ),
    );
    const primary = q
      .ofType('gcp:sql/databaseInstance:DatabaseInstance')
      .map(q.inputsOf)
      .find((instance) => instance.name === 'aia-staging-postgres');
    expect(primary?.settings.backupConfiguration.startTime).toBe('01:00');
    for (const job of jobs) {
      expect(job.httpTarget.uri).toBe(
        'https://sqladmin.googleapis.com/v1/projects/aia-platform-staging/instances/aia-staging-postgres/export',
      );
      expect(job.httpTarget.oauthToken.serviceAccountEmail).toMatch(/^aia-staging-sql-export@/);
      const body = JSON.parse(Buffer.from(job.httpTarget.body, 'base64').toString());
      const [database] = body.exportContext.databases;
      expect(databases).toContain(database);
      expect(body.exportContext).toEqual({
        fileType: 'SQL',
        uri: `gs://aia-staging-sql-exports-us/${database}.sql.gz`,
        databases: [database],
        offload: true,
      });
    }
    const role = q.one('gcp:projects/iAMCustomRole:IAMCustomRole');
    expect(role.permissions).toEqual(['cloudsql.instances.export', 'cloudsql.instances.get']);
  });
});
