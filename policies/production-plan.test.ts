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
