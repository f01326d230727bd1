import { beforeAll, describe, expect, it } from 'vitest';
import { planStack } from '../test/harness/plan-queries.js';
import { redactSecrets } from '../tools/plan/secrets.js';
import { checkPlan, type PolicyVerdict } from '../tools/policy-check/check.js';

let verdict: PolicyVerdict;

beforeAll(async () => {
  const plan = await planStack('staging');
  const resources = plan.resources.map((r) => ({
    ...r,
    inputs: redactSecrets(r.inputs) as Record<string, unknown>,
  }));
  verdict = await checkPlan('staging', resources);
});

describe('the policy pack on the real staging plan', () => {
  it('finds no mandatory violation', () => {
    expect(verdict.violations.filter((v) => v.enforcementLevel === 'mandatory')).toEqual([]);
  });

  it('reports the production-only rules as advisory, because staging opts out of them (zonal disks and Binary Authorization included)', () => {
    const advisory = new Set(verdict.violations.map((v) => v.policy));
    expect(advisory).toEqual(
      new Set([
        'gcp-cloudsql-high-availability',
        'gcp-cloudsql-deletion-protection',
        'gcp-cloudsql-cross-region-replica',
        'gcp-gke-binary-authorization-enforced',
        'gcp-memorystore-high-availability',
        'gcp-storage-backup-retained',
        'k8s-production-hpa',
        'k8s-regional-disks',
      ]),
    );
  });
});
