import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { describe, expect, it } from 'vitest';
import { catalog, STACKS } from '../../../services/catalog.js';
import { alertRules } from './alert-rules.js';
import { prometheusRuleObjects } from './prometheus-rule.js';

describe.each(STACKS)('PrometheusRule objects of %s', (stack) => {
  const objects = prometheusRuleObjects(stack, 'kube-prometheus-stack');

  it('holds one object per service and one for the platform, in the monitoring namespace', () => {
    expect(objects.map((object) => object.metadata.name)).toEqual([
      ...Object.keys(catalog),
      'aia-platform',
    ]);
    for (const object of objects) {
      expect(object.metadata.namespace).toBe('monitoring');
      expect(object.metadata.labels).toMatchObject({
        release: 'kube-prometheus-stack',
        'app.kubernetes.io/name': object.metadata.name,
      });
    }
  });

  it('carries exactly the groups of rules.yaml', () => {
    expect(objects.flatMap((object) => object.spec.groups)).toEqual(alertRules(stack));
  });

  it("passes the operator's schema", () => {
    type Input = ConstructorParameters<typeof PrometheusRule>[0];
    for (const object of objects) {
      // The model's types want mutable arrays; the schema check is what matters here.
      const plain = JSON.parse(JSON.stringify(object)) as Input;
      expect(() => new PrometheusRule(plain).validate()).not.toThrow();
    }
  });

  it("passes the release name through as it is (the program's output, say)", () => {
    const release = { pending: 'release name' };
    const [first] = prometheusRuleObjects(stack, release);
    expect(first?.metadata.labels.release).toBe(release);
  });
});
