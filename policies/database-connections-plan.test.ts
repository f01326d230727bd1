import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { planStack, repositoryRoot } from '../test/harness/plan-queries.js';
import { redactSecrets } from '../tools/plan/secrets.js';
import { checkPlan } from '../tools/policy-check/check.js';
import { asPolicyResources } from '../tools/policy-check/run-policies.js';
import { connectionBudgets } from './rules/platform/database-connections.js';

type Resources = Parameters<typeof checkPlan>[1];
type Resource = Resources[number];
// biome-ignore lint/suspicious/noExplicitAny: planned inputs are untyped JSON
type Json = Record<string, any>;

const CONNECTION_POLICIES = new Set([
  'platform-database-connections',
  'platform-read-replica-routing',
]);

let resources: Resources;

beforeAll(async () => {
  const plan = await planStack('production');
  resources = plan.resources.map((r) => ({
    ...r,
    inputs: redactSecrets(r.inputs) as Record<string, unknown>,
  }));
}, 300_000);

/** The connection policies' messages once `mutate` has changed the production plan. */
async function connectionViolations(mutate: (resource: Resource) => Resource = (r) => r) {
  const verdict = await checkPlan('production', resources.map(mutate));
  return verdict.violations
    .filter((v) => CONNECTION_POLICIES.has(v.policy) && v.enforcementLevel === 'mandatory')
    .map((v) => `${v.policy}: ${v.message}`);
}

const inputsOf = (resource: Resource) => resource.inputs as Json;
const withInputs = (resource: Resource, inputs: Json): Resource => ({ ...resource, inputs });

/** The services' ConfigMap of `service` with `key` set to `value`. */
const settingIn = (service: string, key: string, value: string) => (r: Resource) => {
  const inputs = inputsOf(r);
  if (
    r.type !== 'kubernetes:core/v1:ConfigMap' ||
    inputs.data?.DATABASE_NAME !== service.replaceAll('-', '_')
  )
    return r;
  return withInputs(r, { ...inputs, data: { ...inputs.data, [key]: value } });
};

const budgetOf = (name: string) =>
  connectionBudgets(asPolicyResources(resources)).find((b) => b.instance.name === name);

describe('the connection arithmetic on the production plan', () => {
  it('fits every service at full scale-out within max_connections, as docs/connections.md states it', async () => {
    expect(await connectionViolations()).toEqual([]);
    const primary = budgetOf('aia-production-postgres');
    expect(primary?.instance.maxConnections).toBe(800);
    // Both colours of the gateway at 20 + 25 % surge, 5 connections each.
    expect(primary?.terms).toContainEqual({
      what: 'Deployment aia/aia-api-blue 25 pods × 5',
      connections: 125,
    });
    expect(primary?.terms).toContainEqual({
      what: 'Deployment aia/agent-orchestrator 15 pods × 9 (5 + 4 job queue)',
      connections: 135,
    });
    const docs = await readFile(join(repositoryRoot, 'docs', 'connections.md'), 'utf8');
    expect(docs).toContain(`| production | ${primary?.total} | 800 |`);
  });

  it('counts the read pools on the in-region replica, and nothing on the disaster recovery replica', () => {
    expect(budgetOf('aia-production-postgres-replica-us-central1')?.terms).toEqual([
      { what: 'Deployment aia/economic-governor 13 pods × 5 reads', connections: 65 },
      { what: 'Deployment aia/performance-tracker 5 pods × 5 reads', connections: 25 },
    ]);
    expect(budgetOf('aia-production-postgres-dr-us-east1')?.terms).toEqual([]);
  });

  it("lets the readers' identities reach the replica, and only theirs", () => {
    const conditionOf = (name: string) =>
      inputsOf(resources.find((r) => r.name === name) as Resource).condition?.expression;
    const replica = 'instances/aia-production-postgres-replica-us-central1"';
    // Every identity, before any promotion: the lost-region runbook's repoint changes no IAM.
    const recovery = 'instances/aia-production-postgres-dr-us-east1"';
    for (const role of ['client', 'instanceUser']) {
      expect(conditionOf(`aia-production-sql-iam-economic-governor-${role}`)).toContain(replica);
      expect(conditionOf(`aia-production-sql-iam-performance-tracker-${role}`)).toContain(replica);
      expect(conditionOf(`aia-production-sql-iam-dkg-manager-${role}`)).not.toContain(replica);
      expect(conditionOf(`aia-production-sql-iam-dkg-manager-${role}`)).toContain(
        'instances/aia-production-postgres"',
      );
      for (const service of ['economic-governor', 'dkg-manager']) {
        expect(conditionOf(`aia-production-sql-iam-${service}-${role}`)).toContain(recovery);
      }
    }
  });

  it('fails a scale-out that would exhaust the connections, showing the arithmetic', async () => {
    const scaledOut = await connectionViolations((r) => {
      const inputs = inputsOf(r);
      if (r.type !== 'kubernetes:autoscaling/v2:HorizontalPodAutoscaler') return r;
      if (!String(inputs.spec?.scaleTargetRef?.name).startsWith('aia-api-')) return r;
      return withInputs(r, { ...inputs, spec: { ...inputs.spec, maxReplicas: 60 } });
    });
    expect(scaledOut).toHaveLength(1);
    expect(scaledOut[0]).toContain(
      'platform-database-connections: Cloud SQL instance aia-production-postgres would be asked for 1141 connections at full scale-out, more than its max_connections 800',
    );
    expect(scaledOut[0]).toContain('Deployment aia/aia-api-blue 75 pods × 5 = 375');
    expect(scaledOut[0]).toContain('= 1141 > 800');
  });

  it('fails a larger pool than the catalog sized, and an instance without an explicit max_connections', async () => {
    const biggerPool = await connectionViolations(
      settingIn('economic-governor', 'DATABASE_POOL_MAX', '40'),
    );
    expect(biggerPool.join('\n')).toContain('Deployment aia/economic-governor 13 pods × 40 = 520');
    const noFlag = await connectionViolations((r) => {
      const inputs = inputsOf(r);
      if (r.type !== 'gcp:sql/databaseInstance:DatabaseInstance' || inputs.masterInstanceName)
        return r;
      const flags = (inputs.settings.databaseFlags as Json[]).filter(
        (f) => f.name !== 'max_connections',
      );
      return withInputs(r, { ...inputs, settings: { ...inputs.settings, databaseFlags: flags } });
    });
    expect(noFlag).toEqual([
      expect.stringContaining('aia-production-postgres has no max_connections flag'),
    ]);
  });

  it('fails reads routed to the disaster recovery replica or to an instance that is no replica', async () => {
    const dr = await connectionViolations(
      settingIn(
        'economic-governor',
        'CLOUD_SQL_READ_INSTANCE',
        budgetOf('aia-production-postgres-dr-us-east1')?.instance.connectionName ?? '',
      ),
    );
    expect(dr).toEqual([
      expect.stringContaining(
        "reads from aia-production-postgres-dr-us-east1 in us-east1, not the primary's region",
      ),
    ]);
    const primary = budgetOf('aia-production-postgres')?.instance.connectionName ?? '';
    const self = await connectionViolations(
      settingIn('performance-tracker', 'CLOUD_SQL_READ_INSTANCE', primary),
    );
    expect(self).toEqual([
      expect.stringContaining(
        'reads from aia-production-postgres, which is not a read replica of its primary',
      ),
    ]);
    const unsized = await connectionViolations(
      settingIn(
        'dkg-manager',
        'CLOUD_SQL_READ_INSTANCE',
        budgetOf('aia-production-postgres-replica-us-central1')?.instance.connectionName ?? '',
      ),
    );
    expect(unsized).toEqual([
      expect.stringContaining('its catalog entry has no database.readPoolSize'),
    ]);
  });
});
