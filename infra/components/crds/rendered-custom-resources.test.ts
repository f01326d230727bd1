import { beforeAll, describe, expect, it } from 'vitest';
import { planStack } from '../../../test/harness/plan-queries.js';
import { kubernetesObjects } from '../../../tools/plan/write-kubernetes.js';
import { STRIMZI_CHART } from '../kafka/operator.js';
import { KUBE_PROMETHEUS_STACK } from '../monitoring/values.js';
import { servedApis } from './releases.js';
import { customResourceProblems } from './validate.js';

type Rendered = ReturnType<typeof kubernetesObjects>[number] & { spec?: unknown };

let objects: Rendered[];
beforeAll(async () => {
  objects = kubernetesObjects((await planStack('production')).resources);
});

describe('custom resources rendered by the production plan', () => {
  it('are served by the CRDs of the operators the stack pins, and valid against their models', () => {
    const served = new Map([
      ...servedApis(STRIMZI_CHART.chart, STRIMZI_CHART.version),
      ...servedApis(KUBE_PROMETHEUS_STACK.chart, KUBE_PROMETHEUS_STACK.version),
    ]);
    const groups = new Set([...served.keys()].map((api) => api.split('/')[0]));
    const custom = objects.filter((o) => groups.has(o.apiVersion.split('/')[0] ?? ''));
    expect(custom.length).toBeGreaterThan(30);
    const problems = custom.flatMap((object) =>
      customResourceProblems(object, served).map((p) => `${object.metadata?.name}: ${p}`),
    );
    expect(problems).toEqual([]);
  });

  it('use kafka.strimzi.io/v1, the only Strimzi API the pinned operator serves', () => {
    const strimzi = objects.filter((o) => o.apiVersion.startsWith('kafka.strimzi.io/'));
    expect(new Set(strimzi.map((o) => o.kind))).toEqual(
      new Set(['Kafka', 'KafkaNodePool', 'KafkaTopic', 'KafkaUser']),
    );
    const served = servedApis(STRIMZI_CHART.chart, STRIMZI_CHART.version);
    for (const object of strimzi) {
      expect(served.get(object.apiVersion)?.has(object.kind), object.apiVersion).toBe(true);
    }
  });
});
