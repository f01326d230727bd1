import { describe, expect, it } from 'vitest';
import { violationsOf } from '../../../test/harness/policy-fixtures.js';
import { kubernetesPolicies } from './index.js';
import {
  defaultDeny,
  deployment,
  hpa,
  limitRange,
  namespace,
  pdb,
  release,
  resourceQuota,
  secret,
  service,
  vpa,
} from './test-fixtures.js';

describe('kubernetesPolicies', () => {
  it('finds nothing wrong with a fully hardened namespace and its service', async () => {
    const resources = [
      namespace(),
      defaultDeny(),
      deployment(),
      pdb(),
      hpa(),
      vpa(),
      resourceQuota(),
      limitRange(),
      service(),
      secret(),
      // A pinned chart without CRDs: one with CRDs would need them applied too.
      release({ name: 'jaeger', chart: 'jaeger', version: '4.11.1' }),
    ];
    expect(await violationsOf(kubernetesPolicies, resources)).toEqual([]);
  });

  it('names every rule k8s-… in kebab case, once, mandatory, with a one-sentence description', () => {
    const names = kubernetesPolicies.map((policy) => policy.name);
    expect(new Set(names).size).toBe(names.length);
    for (const policy of kubernetesPolicies) {
      expect(policy.name).toMatch(/^k8s(-[a-z0-9]+)+$/);
      expect(policy.enforcementLevel).toBe('mandatory');
      expect(policy.description).toMatch(/^[A-Z].*\.$/);
      expect(policy.description).not.toMatch(/\.\s/);
    }
  });
});
