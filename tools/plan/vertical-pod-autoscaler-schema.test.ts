import { describe, expect, it } from 'vitest';
import { verticalPodAutoscalerSpec } from '../../infra/components/service-deployment/index.js';
import { checkKubernetesSchema } from './validate-kubernetes.js';

const vpa = (spec: object) => ({
  apiVersion: 'autoscaling.k8s.io/v1',
  kind: 'VerticalPodAutoscaler',
  metadata: { name: 'economic-governor', namespace: 'aia' },
  spec,
});

describe('VerticalPodAutoscaler schema', () => {
  it("accepts the services' recommendation-only VPA", async () => {
    const spec = verticalPodAutoscalerSpec('economic-governor', 'economic-governor');
    expect(await checkKubernetesSchema(vpa(spec))).toEqual({ status: 'valid' });
  });

  it('refuses what the CRD refuses: an unknown update mode, a missing target', async () => {
    const badMode = await checkKubernetesSchema(
      vpa({ targetRef: { kind: 'Deployment', name: 'x' }, updatePolicy: { updateMode: 'Never' } }),
    );
    expect(badMode.status).toBe('invalid');
    expect(await checkKubernetesSchema(vpa({ updatePolicy: { updateMode: 'Off' } }))).toMatchObject(
      {
        status: 'invalid',
        error: expect.stringContaining('spec.targetRef'),
      },
    );
  });
});
