import { describe, expect, it } from 'vitest';
import { messagesOf, violationsOf } from '../../../test/harness/policy-fixtures.js';
import { APP, deployment, TYPES, urnOf, vpa } from './test-fixtures.js';
import { deploymentVerticalAutoscaler } from './vertical-autoscaling.js';

const check = (resources: Parameters<typeof violationsOf>[1]) =>
  violationsOf([deploymentVerticalAutoscaler], resources);

describe('k8s-deployment-vpa', () => {
  it('accepts a VerticalPodAutoscaler in recommendation mode targeting the Deployment', async () => {
    expect(await check([deployment(), vpa()])).toEqual([]);
  });

  it('fails a Deployment no VerticalPodAutoscaler targets', async () => {
    const violations = await check([deployment(), vpa({ name: 'aia-api', target: 'aia-api' })]);
    expect(violations.map((v) => v.urn)).toEqual([urnOf(TYPES.deployment, APP)]);
    expect(messagesOf(violations)).toEqual([
      "Deployment apps/economic-governor has no VerticalPodAutoscaler: add an autoscaling.k8s.io/v1 VerticalPodAutoscaler in 'apps' with targetRef { apiVersion: apps/v1, kind: Deployment, name: economic-governor } and updatePolicy.updateMode Off.",
    ]);
  });

  it('fails a VerticalPodAutoscaler that would resize pods (an unset mode means Auto)', async () => {
    for (const updateMode of ['Recreate', null]) {
      expect(messagesOf(await check([deployment(), vpa({ updateMode })]))).toEqual([
        `Deployment apps/economic-governor is resized by its VerticalPodAutoscaler (updateMode ${updateMode ?? 'Auto'}): set updatePolicy.updateMode to Off; its HPA scales on CPU and the catalog owns the sizes.`,
      ]);
    }
  });
});
