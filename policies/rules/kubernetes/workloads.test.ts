import { describe, expect, it } from 'vitest';
import { messagesOf, violationsOf } from '../../../test/harness/policy-fixtures.js';
import { APP, deployment, hpa, pdb, TYPES, urnOf } from './test-fixtures.js';
import { deploymentDisruptionBudget, productionAutoscaling } from './workloads.js';

const deploymentUrn = urnOf(TYPES.deployment, APP);

describe('k8s-deployment-pdb', () => {
  it('accepts a PodDisruptionBudget in the namespace whose selector matches the pod labels', async () => {
    expect(await violationsOf([deploymentDisruptionBudget], [deployment(), pdb()])).toEqual([]);
  });

  it('honours matchExpressions', async () => {
    const selector = {
      matchLabels: {},
      matchExpressions: [
        { key: 'app.kubernetes.io/name', operator: 'In', values: [APP, 'aia-api'] },
      ],
    };
    const resources = [deployment(), pdb({ selector })];
    expect(await violationsOf([deploymentDisruptionBudget], resources)).toEqual([]);
  });

  it('flags a Deployment without any PodDisruptionBudget', async () => {
    expect(await violationsOf([deploymentDisruptionBudget], [deployment()])).toEqual([
      {
        policy: 'k8s-deployment-pdb',
        enforcementLevel: 'mandatory',
        urn: deploymentUrn,
        message:
          "Deployment apps/economic-governor has no PodDisruptionBudget selecting its pods (app.kubernetes.io/name=economic-governor,app.kubernetes.io/part-of=aia-platform): add a policy/v1 PodDisruptionBudget in namespace 'apps' whose selector matches those labels.",
      },
    ]);
  });

  it('does not count a budget in another namespace or one selecting other pods', async () => {
    const resources = [
      deployment(),
      pdb({ namespace: 'data' }),
      pdb({ name: 'other', selector: { matchLabels: { 'app.kubernetes.io/name': 'aia-api' } } }),
    ];
    const violations = await violationsOf([deploymentDisruptionBudget], resources);
    expect(violations.map((v) => [v.policy, v.urn])).toEqual([
      ['k8s-deployment-pdb', deploymentUrn],
    ]);
  });
});

describe('k8s-production-hpa', () => {
  it('accepts an HPA targeting the Deployment with minReplicas 2', async () => {
    expect(await violationsOf([productionAutoscaling], [deployment(), hpa()])).toEqual([]);
  });

  it('flags a Deployment no HPA targets', async () => {
    const resources = [deployment(), hpa({ name: 'aia-api', target: 'aia-api' })];
    expect(await violationsOf([productionAutoscaling], resources)).toEqual([
      {
        policy: 'k8s-production-hpa',
        enforcementLevel: 'mandatory',
        urn: deploymentUrn,
        message:
          "Deployment apps/economic-governor has no HorizontalPodAutoscaler: add an autoscaling/v2 HorizontalPodAutoscaler in 'apps' with scaleTargetRef { apiVersion: apps/v1, kind: Deployment, name: economic-governor } and minReplicas >= 2.",
      },
    ]);
  });

  it('flags the HPA when minReplicas is below 2, or unset (Kubernetes then uses 1)', async () => {
    for (const minReplicas of [1, undefined]) {
      expect(
        await violationsOf([productionAutoscaling], [deployment(), hpa({ spec: { minReplicas } })]),
      ).toEqual([
        {
          policy: 'k8s-production-hpa',
          enforcementLevel: 'mandatory',
          urn: urnOf(TYPES.hpa, APP),
          message:
            "HorizontalPodAutoscaler apps/economic-governor keeps Deployment apps/economic-governor at minReplicas 1: set spec.minReplicas to 2 or more, so one pod's loss or eviction never takes the service down.",
        },
      ]);
    }
  });

  it('is advisory where the stack config says so, and takes its floor from config', async () => {
    const config = {
      'k8s-production-hpa': { enforcementLevel: 'advisory' as const, minReplicas: 3 },
    };
    const violations = await violationsOf([productionAutoscaling], [deployment(), hpa()], config);
    expect(violations.map((v) => v.enforcementLevel)).toEqual(['advisory']);
    expect(messagesOf(violations)[0]).toContain(
      'at minReplicas 2: set spec.minReplicas to 3 or more',
    );
  });
});
