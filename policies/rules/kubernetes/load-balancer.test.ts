import { describe, expect, it } from 'vitest';
import { planned, violationsOf } from '../../../test/harness/policy-fixtures.js';
import { loadBalancerChecksLiveness } from './load-balancer.js';

const backendConfig = (requestPath: string) =>
  planned('kubernetes:cloud.google.com/v1:BackendConfig', 'api-edge-backend', {
    apiVersion: 'cloud.google.com/v1',
    kind: 'BackendConfig',
    metadata: { name: 'api-edge', namespace: 'aia' },
    spec: { healthCheck: { type: 'HTTP', requestPath } },
  });

describe('k8s-load-balancer-checks-liveness', () => {
  it('accepts a health check on the liveness endpoint', async () => {
    expect(await violationsOf([loadBalancerChecksLiveness], [backendConfig('/healthz')])).toEqual(
      [],
    );
  });

  it('flags a health check on the readiness endpoint', async () => {
    const readiness = backendConfig('/readyz');
    expect(await violationsOf([loadBalancerChecksLiveness], [readiness])).toEqual([
      {
        policy: 'k8s-load-balancer-checks-liveness',
        enforcementLevel: 'mandatory',
        urn: readiness.urn,
        message:
          "BackendConfig aia/api-edge health-checks the readiness endpoint /readyz, so one dependency's blip takes every backend out of the load balancer at once: set spec.healthCheck.requestPath to the liveness endpoint /healthz (Kubernetes keeps using /readyz for readiness).",
      },
    ]);
  });
});
