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
    expect(outputs.services['aia-api']?.resources).toEqual({
      requests: { cpu: '500m', memory: '1Gi' },
      limits: { cpu: '2000m', memory: '4Gi' },
    });
    expect(JSON.stringify(plan.outputs)).not.toContain(SECRET_MARKER);
  });
});
