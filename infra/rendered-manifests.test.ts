import { beforeAll, describe, expect, it } from 'vitest';
import { planStack } from '../test/harness/plan-queries.js';
import type { Plan } from '../tools/plan/run-plan.js';
import { checkKubernetesSchema } from '../tools/plan/validate-kubernetes.js';
import { kubernetesObjects } from '../tools/plan/write-kubernetes.js';

let plan: Plan;
beforeAll(async () => {
  plan = await planStack('production');
});

describe('Kubernetes objects rendered by the production plan', () => {
  it('validate against the Kubernetes and CRD schemas', async () => {
    const objects = kubernetesObjects(plan.resources);
    expect(objects.length).toBeGreaterThan(50);
    const results = await Promise.all(
      objects.map(async (object) => ({
        object: `${object.kind} ${object.metadata?.namespace ?? ''}/${object.metadata?.name}`,
        check: await checkKubernetesSchema(object),
        group: object.apiVersion.split('/')[0],
      })),
    );
    expect(results.filter((r) => r.check.status === 'invalid')).toEqual([]);
    // Strimzi's objects included (@kubernetes-models/strimzi-kafka-operator): none unchecked.
    expect(results.filter((r) => r.check.status === 'no-schema')).toEqual([]);
    expect(results.filter((r) => r.check.status === 'valid').length).toBeGreaterThan(50);
  });

  it('would catch an object the API server refuses', async () => {
    const broken = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x' },
      spec: { replicas: 'three' },
    };
    const check = await checkKubernetesSchema(broken);
    expect(check.status).toBe('invalid');
  });
});
