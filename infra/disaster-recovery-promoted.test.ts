import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queries, repositoryRoot } from '../test/harness/plan-queries.js';
import { runPlan } from '../tools/plan/run-plan.js';
import { SERVICE_CLOUDSQL_ROLES } from './components/cloudsql/index.js';

/**
 * The production stack after the lost-region runbook's repoint: its disaster recovery replica
 * promoted (`cloudSql.disasterRecovery.promoted: true`). One plan per file: Pulumi's state is
 * global.
 */
const PROMOTED = 'disasterRecovery: { region: us-east1, promoted: true }';
const instanceResource = (instance: string) =>
  `resource.name == "projects/aia-platform-production/instances/${instance}"`;

let dir = '';
let q: ReturnType<typeof queries>;
let outputs: Record<string, unknown>;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dr-promoted-'));
  const production = await readFile(join(repositoryRoot, 'Pulumi.production.yaml'), 'utf8');
  const promoted = production.replace(
    'disasterRecovery: { region: us-east1, promoted: false }',
    PROMOTED,
  );
  if (!promoted.includes(PROMOTED)) throw new Error('Pulumi.production.yaml: no disasterRecovery');
  const stackFile = join(dir, 'Pulumi.production.yaml');
  await writeFile(stackFile, promoted);
  const plan = await runPlan({ root: repositoryRoot, stack: 'production', stackFile });
  q = queries(plan);
  outputs = plan.outputs;
}, 300_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Service → the Cloud SQL settings of its `<service>-env` ConfigMap, for every PostgreSQL user. */
function cloudSqlClients(): Map<string, Record<string, string>> {
  const clients = new Map<string, Record<string, string>>();
  for (const configMap of q.ofType('kubernetes:core/v1:ConfigMap').map(q.inputsOf)) {
    const name: string = configMap.metadata?.name ?? '';
    if (name.endsWith('-env') && configMap.data?.CLOUD_SQL_INSTANCE) {
      clients.set(name.slice(0, -'-env'.length), configMap.data);
    }
  }
  return clients;
}

/** The IAM condition of `service`'s Cloud SQL `role` binding. */
function conditionOf(service: string, role: string) {
  const name = `aia-production-sql-iam-${service}-${role.split('.').pop()}`;
  const binding = q.ofType('gcp:projects/iAMMember:IAMMember').find((r) => r.name === name);
  return q.inputsOf(binding).condition as { title: string; expression: string };
}

describe('production with its disaster recovery replica promoted (offline plan)', () => {
  it('points every PostgreSQL service at the promoted replica, and no reader at the lost region', () => {
    const clients = cloudSqlClients();
    expect(clients.size).toBeGreaterThanOrEqual(5);
    for (const [service, env] of clients) {
      expect(env.CLOUD_SQL_INSTANCE, service).toBe(
        'aia-platform-production:us-east1:aia-production-postgres-dr-us-east1',
      );
      expect(env.CLOUD_SQL_IP_TYPE, service).toBe('PRIVATE');
      expect(env.CLOUD_SQL_READ_INSTANCE, service).toBeUndefined();
    }
  });

  it("lets each service's identity connect and log in there: both roles' conditions name it", () => {
    for (const [service, env] of cloudSqlClients()) {
      const instance = env.CLOUD_SQL_INSTANCE?.split(':')[2] as string;
      for (const role of SERVICE_CLOUDSQL_ROLES) {
        expect(conditionOf(service, role).expression, `${service} ${role}`).toContain(
          instanceResource(instance),
        );
      }
    }
  });

  it('holds the same grants as before the promotion, so the repoint changes no IAM binding', () => {
    // The conditions database-connections-plan.test.ts finds on the unpromoted production plan.
    const primary = instanceResource('aia-production-postgres');
    const replica = instanceResource('aia-production-postgres-replica-us-central1');
    const recovery = instanceResource('aia-production-postgres-dr-us-east1');
    const type = 'resource.type == "sqladmin.googleapis.com/Instance"';
    for (const role of SERVICE_CLOUDSQL_ROLES) {
      expect(conditionOf('economic-governor', role)).toEqual({
        title: 'this Cloud SQL instance, its read replica and its disaster recovery replica',
        expression: `${type} && (${primary} || ${replica} || ${recovery})`,
      });
      expect(conditionOf('dkg-manager', role)).toEqual({
        title: 'this Cloud SQL instance and its disaster recovery replica',
        expression: `${type} && (${primary} || ${recovery})`,
      });
    }
  });

  it("gives the promoted instance a primary's backups and availability, so no later up removes them", () => {
    const instances = q.ofType('gcp:sql/databaseInstance:DatabaseInstance').map(q.inputsOf);
    const promoted = instances.find(
      (instance) => instance.name === 'aia-production-postgres-dr-us-east1',
    );
    const primary = instances.find((instance) => instance.name === 'aia-production-postgres');
    expect(promoted?.settings.backupConfiguration).toEqual(primary?.settings.backupConfiguration);
    expect(promoted?.settings.backupConfiguration).toMatchObject({
      enabled: true,
      pointInTimeRecoveryEnabled: true,
    });
    expect(promoted?.settings.availabilityType).toBe(primary?.settings.availabilityType);
    expect(promoted?.settings.maintenanceWindow).toEqual(primary?.settings.maintenanceWindow);
  });

  it('dumps the promoted instance daily, written as its own account', () => {
    const jobs = q.ofType('gcp:cloudscheduler/job:Job').map(q.inputsOf);
    expect(jobs.length).toBeGreaterThanOrEqual(5);
    for (const job of jobs) {
      expect(job.httpTarget.uri).toBe(
        'https://sqladmin.googleapis.com/v1/projects/aia-platform-production/instances/aia-production-postgres-dr-us-east1/export',
      );
    }
    // Cloud SQL writes an export as the exporting instance's own service agent.
    const writers = q
      .ofType('gcp:storage/bucketIAMMember:BucketIAMMember')
      .map(q.inputsOf)
      .filter((binding) => binding.bucket === 'aia-production-sql-exports-nam4')
      .map((binding) => `${binding.role} ${binding.member}`);
    expect(writers).toContain(
      'roles/storage.objectUser serviceAccount:p000000000000-aia-production-postgres-dr-us-east1@gcp-sa-cloud-sql.iam.gserviceaccount.com',
    );
    // The failed-export alert watches the instance that now exports.
    const operations = q
      .ofType('gcp:logging/metric:Metric')
      .map(q.inputsOf)
      .find((metric) => metric.name === 'aia-production-sql-export-operation-failures');
    expect(operations?.filter).toContain(
      'resource.labels.database_id="aia-platform-production:aia-production-postgres-dr-us-east1"',
    );
  });

  it('names the promoted instance as the one to dial in the stack outputs', () => {
    expect(outputs.sql).toMatchObject({
      connectionName: 'aia-platform-production:us-central1:aia-production-postgres',
      servingConnectionName: 'aia-platform-production:us-east1:aia-production-postgres-dr-us-east1',
    });
  });
});
