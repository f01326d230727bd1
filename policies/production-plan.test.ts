import { beforeAll, describe, expect, it } from 'vitest';
import { planStack } from '../test/harness/plan-queries.js';
import { redactSecrets } from '../tools/plan/secrets.js';
import { checkPlan, type PolicyVerdict } from '../tools/policy-check/check.js';

let verdict: PolicyVerdict;
let resources: Parameters<typeof checkPlan>[1];

beforeAll(async () => {
  const plan = await planStack('production');
  resources = plan.resources.map((r) => ({
    ...r,
    inputs: redactSecrets(r.inputs) as Record<string, unknown>,
  }));
  verdict = await checkPlan('production', resources);
});

describe('the policy pack on the real production plan', () => {
  it('finds no violation at all', () => {
    expect(verdict.violations).toEqual([]);
    expect(verdict.policies).toBeGreaterThan(30);
  });

  it('fails the plan when one resource is made insecure', async () => {
    const mutated = resources.map((resource) =>
      resource.type === 'gcp:sql/databaseInstance:DatabaseInstance' &&
      !resource.inputs.masterInstanceName
        ? {
            ...resource,
            inputs: {
              ...resource.inputs,
              settings: {
                ...(resource.inputs.settings as object),
                ipConfiguration: { ipv4Enabled: true, sslMode: 'ALLOW_UNENCRYPTED_AND_ENCRYPTED' },
              },
            },
          }
        : resource,
    );
    const broken = await checkPlan('production', mutated);
    expect(broken.mandatory).toBeGreaterThanOrEqual(2);
    expect(broken.violations.map((v) => v.policy)).toEqual(
      expect.arrayContaining(['gcp-cloudsql-no-public-ip', 'gcp-cloudsql-ssl-required']),
    );
  });

  it('fails the plan when object storage, a backup grant or a single-replica disk is weakened', async () => {
    const weaken = (resource: (typeof resources)[number]): Record<string, unknown> => {
      // biome-ignore lint/suspicious/noExplicitAny: planned inputs are untyped JSON
      const inputs = structuredClone(resource.inputs) as Record<string, any>;
      if (resource.type === 'gcp:storage/bucket:Bucket' && inputs.name === 'aia-production-reports')
        inputs.versioning = { enabled: false };
      if (resource.type === 'gcp:storage/bucketIAMMember:BucketIAMMember') {
        if (inputs.role === 'roles/storage.objectCreator') inputs.role = 'roles/storage.objectUser';
        if (inputs.role === 'roles/storage.objectUser' && /reports/.test(String(inputs.bucket)))
          inputs.role = 'roles/storage.admin';
      }
      if (resource.type === 'kubernetes:helm.sh/v3:Release' && inputs.name === 'neo4j')
        inputs.values.volumes.data.dynamic.storageClassName = 'premium-rwo';
      if (resource.type === 'kubernetes:apps/v1:Deployment' && resource.name.includes('venture'))
        inputs.spec.template.spec.containers[0].image =
          'quay.io/minio/minio:RELEASE.2025-04-08T15-41-24Z';
      return inputs;
    };
    const broken = await checkPlan(
      'production',
      resources.map((resource) => ({ ...resource, inputs: weaken(resource) })),
    );
    expect(new Set(broken.violations.map((v) => v.policy))).toEqual(
      new Set([
        'gcp-storage-versioning',
        'gcp-storage-backup-no-delete',
        'gcp-storage-least-privilege',
        'k8s-regional-disks',
        'k8s-no-archived-software',
      ]),
    );
  });

  it('fails the plan when a service other than the issuer is given the token signing key', async () => {
    const mutated = resources.map((resource) =>
      resource.type === 'kubernetes:core/v1:Secret' && resource.name.includes('economic-governor')
        ? {
            ...resource,
            inputs: {
              ...resource.inputs,
              stringData: {
                ...(resource.inputs.stringData as object),
                JWT_SIGNING_KEY: '[secret]',
              },
            },
          }
        : resource,
    );
    const broken = await checkPlan('production', mutated);
    expect(broken.violations.map((v) => v.policy)).toContain(
      'platform-token-signing-key-issuer-only',
    );
  });
});
